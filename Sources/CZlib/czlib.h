// zlib, for reading gzip-compressed NDJSON batches (Debian: zlib1g-dev).
#include <zlib.h>
