/*
 * c_multi_loop: the C baseline for Scripts/bench's throughput section.
 *
 * Runs N transfers of URL over libcurl's multi interface, at most C in flight, every one on a
 * fresh connection (no reuse, no TLS session resumption, a real name lookup each time), with one
 * persistent multi handle, the CA file set explicitly (CAPATH unset) and libcurl's CA cache on,
 * the way the peering-probe agent drives libcurl. Bodies are discarded.
 *
 *   c_multi_loop URL N C [--insecure] [--cacert FILE]
 *
 * Prints exactly one line:
 *   probes=N seconds=S probes_per_second=R cpu_us_per_probe=U failures=F
 * CPU is getrusage(RUSAGE_SELF) user+sys over the loop. A failure is a transfer that did not
 * complete or whose status is outside 200-399.
 *
 * Build: cc -O2 -o c_multi_loop c_multi_loop.c -lcurl
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Debian's default bundle; used when neither --cacert nor --insecure is given. */
#define DEFAULT_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

static size_t discard_body(char *data, size_t size, size_t nmemb, void *user) {
    (void)data;
    (void)user;
    return size * nmemb;
}

static double monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void usage(void) {
    fprintf(stderr, "usage: c_multi_loop URL N C [--insecure] [--cacert FILE]\n");
    exit(2);
}

/* Sets every option once; a recycled easy handle keeps them. */
static CURL *make_easy(const char *url, int insecure, const char *cafile) {
    CURL *easy = curl_easy_init();
    if (!easy) {
        fprintf(stderr, "c_multi_loop: curl_easy_init failed\n");
        exit(3);
    }
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(easy, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 30000L);
    if (insecure) {
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
        curl_easy_setopt(easy, CURLOPT_CAINFO, cafile);
        curl_easy_setopt(easy, CURLOPT_CAPATH, NULL);
#if LIBCURL_VERSION_NUM >= 0x075700 /* 7.87.0: CA cache shared through the multi handle */
        curl_easy_setopt(easy, CURLOPT_CA_CACHE_TIMEOUT, 86400L);
#endif
    }
    return easy;
}

int main(int argc, char **argv) {
    if (argc < 4) usage();
    const char *url = argv[1];
    long total = strtol(argv[2], NULL, 10);
    long concurrency = strtol(argv[3], NULL, 10);
    int insecure = 0;
    const char *cafile = DEFAULT_CA_BUNDLE;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--insecure") == 0 || strcmp(argv[i], "-k") == 0) {
            insecure = 1;
        } else if (strcmp(argv[i], "--cacert") == 0 && i + 1 < argc) {
            cafile = argv[++i];
        } else {
            usage();
        }
    }
    if (total <= 0 || concurrency <= 0) usage();
    if (concurrency > total) concurrency = total;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "c_multi_loop: curl_global_init failed\n");
        return 3;
    }
    CURLM *multi = curl_multi_init();
    CURL **pool = calloc((size_t)concurrency, sizeof *pool);
    if (!multi || !pool) {
        fprintf(stderr, "c_multi_loop: out of memory\n");
        return 3;
    }
    for (long i = 0; i < concurrency; i++) pool[i] = make_easy(url, insecure, cafile);

    long started = 0, finished = 0, failures = 0;
    double wall0 = monotonic_seconds();
    double cpu0 = cpu_seconds();

    /* Fill the window, then refill one handle for every transfer that finishes. */
    for (long i = 0; i < concurrency; i++, started++) curl_multi_add_handle(multi, pool[i]);

    while (finished < total) {
        int running = 0;
        if (curl_multi_perform(multi, &running) != CURLM_OK) {
            fprintf(stderr, "c_multi_loop: curl_multi_perform failed\n");
            return 3;
        }
        CURLMsg *msg;
        int queued;
        while ((msg = curl_multi_info_read(multi, &queued)) != NULL) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL *easy = msg->easy_handle;
            CURLcode result = msg->data.result;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            if (result != CURLE_OK || status < 200 || status > 399) failures++;
            finished++;
            curl_multi_remove_handle(multi, easy);
            if (started < total) {
                curl_multi_add_handle(multi, easy); /* same options, new fresh connection */
                started++;
            }
        }
        if (finished >= total) break;
        if (curl_multi_poll(multi, NULL, 0, 1000, NULL) != CURLM_OK) {
            fprintf(stderr, "c_multi_loop: curl_multi_poll failed\n");
            return 3;
        }
    }

    double seconds = monotonic_seconds() - wall0;
    double cpu = cpu_seconds() - cpu0;
    printf("probes=%ld seconds=%.3f probes_per_second=%.0f cpu_us_per_probe=%.1f failures=%ld\n",
           total, seconds, (double)total / seconds, cpu * 1e6 / (double)total, failures);

    for (long i = 0; i < concurrency; i++) curl_easy_cleanup(pool[i]);
    free(pool);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    return 0;
}
