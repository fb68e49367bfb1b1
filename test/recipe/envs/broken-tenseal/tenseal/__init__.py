"""A TenSEAL whose import fails the way a broken build does (the runtime check must report this error)."""

raise ImportError("libseal.so.4.1: cannot open shared object file: No such file or directory")
