function(langop_set_warnings target)
  target_compile_options(${target} INTERFACE -Wall -Wextra -Werror -Wno-missing-field-initializers)
endfunction()
