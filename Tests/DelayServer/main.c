#define _GNU_SOURCE
// loopback-delay-server: a minimal epoll HTTP/1.1 server for the concurrency test. It answers every request
// `wait_ms` milliseconds (from the query string) after reading it, with a timerfd per connection, at a few
// microseconds of CPU per request, so that 50 clients at once measure the client, not the server (the Python
// test server, at a few hundred microseconds per request under the GIL, adds several ms of queueing there).
// Usage: loopback-delay-server [BIND_ADDRESS]; prints {"port": N} once listening, then one line per answer,
// {"client_port": P, "wait_us": W}: the client's port and the wait the server itself measured, from reading the
// whole request to writing the answer (CLOCK_MONOTONIC), so that a test can tell the server's lateness from
// the client's. Loopback only.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>

typedef struct conn { int fd; int timer; int len; struct timespec read_at; char buf[4096]; } conn;

int main(int argc, char **argv) {
    const char *addr = argc > 1 ? argv[1] : "127.0.0.1";
    sigset_t none;  // a parent may have started us with signals blocked: take SIGTERM as usual
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {0}; sa.sin_family = AF_INET; sa.sin_port = 0; inet_pton(AF_INET, addr, &sa.sin_addr);
    if (bind(ls, (void *)&sa, sizeof sa) || listen(ls, 1024)) { perror("bind"); return 1; }
    socklen_t sl = sizeof sa; getsockname(ls, (void *)&sa, &sl);
    printf("{\"port\": %d}\n", ntohs(sa.sin_port)); fflush(stdout);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    // Standard input is a pipe from the test process: when it closes (the test ended or died), exit.
    struct epoll_event in = {.events = EPOLLIN | EPOLLHUP, .data.ptr = (void *)1};
    epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == NULL) {
                int fd;
                while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    conn *c = calloc(1, sizeof *c); c->fd = fd; c->timer = -1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }
            if (evs[i].data.ptr == (void *)1) return 0;
            conn *c = evs[i].data.ptr;
            
            if (c->timer < 0) {
                int r = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
                if (r <= 0) { close(c->fd); free(c); continue; }
                c->len += r; c->buf[c->len] = 0;
                if (!strstr(c->buf, "\r\n\r\n")) continue;
                clock_gettime(CLOCK_MONOTONIC, &c->read_at);
                char *q = strstr(c->buf, "wait_ms="); long ms = q ? atol(q + 8) : 0;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                c->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
                struct itimerspec its = {0}; its.it_value.tv_sec = ms / 1000; its.it_value.tv_nsec = (ms % 1000) * 1000000 + 1;
                timerfd_settime(c->timer, 0, &its, NULL);
                struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, c->timer, &e);
            } else {
                const char *resp = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
                struct timespec now; clock_gettime(CLOCK_MONOTONIC, &now);
                write(c->fd, resp, strlen(resp));
                long waited = (now.tv_sec - c->read_at.tv_sec) * 1000000L + (now.tv_nsec - c->read_at.tv_nsec) / 1000;
                struct sockaddr_in peer = {0}; socklen_t pl = sizeof peer;
                getpeername(c->fd, (void *)&peer, &pl);
                printf("{\"client_port\": %d, \"wait_us\": %ld}\n", ntohs(peer.sin_port), waited); fflush(stdout);
                close(c->timer); close(c->fd); free(c);
            }
        }
    }
}
