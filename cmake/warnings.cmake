function(langop_set_warnings target)
  # -Wno-mismatched-new-delete: GCC 12 reports Asio's coroutine frame recycling allocator
  # (aligned_alloc + sized operator delete) as a mismatch; it is a false positive, and
  # ASan's new-delete-type-mismatch check still guards the real thing at run time.
  target_compile_options(${target} INTERFACE -Wall -Wextra -Werror -Wno-missing-field-initializers
    -Wno-mismatched-new-delete)
endfunction()
