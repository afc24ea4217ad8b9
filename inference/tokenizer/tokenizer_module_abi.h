#pragma once
/* The C interface of the tokenizer module (atelier_tokenizer_sp), which atelier_inference loads
 * with dlopen(RTLD_LOCAL | RTLD_DEEPBIND) instead of linking: the module links sentencepiece,
 * whose bundled protobuf 3.14 crashes a process that also has libtorch's protobuf 3.21.
 * Plain C types only, no exceptions across it. Every function that can fail returns 0 on success,
 * or non-zero with a NUL-terminated message in `error` (truncated to `error_capacity`). */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ATELIER_TOKENIZER_ABI_VERSION 1

typedef struct AtelierClipTokenizer AtelierClipTokenizer;

/* Returns the ATELIER_TOKENIZER_ABI_VERSION the module was built with. */
typedef int (*AtelierTokenizerAbiVersionFn)(void);
#define ATELIER_TOKENIZER_ABI_VERSION_SYMBOL "atelier_tokenizer_abi_version"

/* Builds a tokenizer from CLIP's merges (bpe_simple_vocab_16e6.txt.gz). NULL on failure. */
typedef AtelierClipTokenizer* (*AtelierTokenizerCreateFn)(const char* vocabulary_path, char* error,
                                                          size_t error_capacity);
#define ATELIER_TOKENIZER_CREATE_SYMBOL "atelier_tokenizer_create"

typedef void (*AtelierTokenizerDestroyFn)(AtelierClipTokenizer* tokenizer);
#define ATELIER_TOKENIZER_DESTROY_SYMBOL "atelier_tokenizer_destroy"

/* open_clip's encode of utf8[0, length): BPE ids without start/end framing. Writes the first
 * min(count, capacity) ids and sets *count to the full number; call again with a larger buffer
 * when *count > capacity. Safe to call from several threads on one tokenizer. */
typedef int (*AtelierTokenizerEncodeFn)(const AtelierClipTokenizer* tokenizer, const char* utf8,
                                        size_t length, int32_t* ids, size_t capacity, size_t* count,
                                        char* error, size_t error_capacity);
#define ATELIER_TOKENIZER_ENCODE_SYMBOL "atelier_tokenizer_encode"

/* The cleaned, lower-cased UTF-8 text that encode splits into words; same buffer protocol
 * (bytes, no NUL added). */
typedef int (*AtelierTokenizerCleanFn)(const AtelierClipTokenizer* tokenizer, const char* utf8,
                                       size_t length, char* text, size_t capacity, size_t* size,
                                       char* error, size_t error_capacity);
#define ATELIER_TOKENIZER_CLEAN_SYMBOL "atelier_tokenizer_clean"

#ifdef __cplusplus
}
#endif
