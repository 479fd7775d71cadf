{
  "targets": [
    {
      "target_name": "vib_native_blas",
      "sources": ["src/addon.cc"],
      "include_dirs": [
        "<!@(node -p \"require('node-addon-api').include\")",
        "<!@(node scripts/find-cblas.mjs --include)"
      ],
      "libraries": ["<!@(node scripts/find-cblas.mjs --libs)"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-march=native", "-std=c++17", "-fno-math-errno", "-pthread"],
      "ldflags": ["-pthread"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
