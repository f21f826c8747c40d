# langop-operator image: built on Debian 12 (the same toolchain as CI), shipped on
# distroless-like debian-slim with only the runtime libraries.
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build ccache libboost1.81-all-dev libc-ares-dev libssl-dev libyaml-cpp-dev \
      catch2 libbenchmark-dev ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANGOP_BUILD_BENCH=OFF -DLANGOP_BUILD_TESTS=OFF \
 && ninja -C build langop-operator

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libc-ares2 libssl3 libyaml-cpp0.7 ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/langop-operator /usr/local/bin/langop-operator
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/langop-operator"]
