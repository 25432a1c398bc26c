/*
 * The bench's trivial backend: answers "ok" to every request on 127.0.0.1:$PORT, keep-alive,
 * one thread on epoll. It is C so that the backend is never what the bench measures (a Node
 * backend costs about as much CPU per request as the router in front of it).
 * GET /__stats answers "<requests> <CLOCK_MONOTONIC ns of the last request>" and is not counted:
 * the bench compares that clock with process.hrtime (also CLOCK_MONOTONIC) to time a shift.
 * Responses are a few dozen bytes on loopback: a short write closes the connection instead of
 * queueing, which a real server must not do but which never happens here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 16384
static const char OK[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
static unsigned long long requests, last_ns;
struct conn { int fd, used; long skip; char buf[BUF]; };

static unsigned long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (unsigned long long)t.tv_sec * 1000000000ull + t.tv_nsec;
}

/* Answers every complete request in the buffer; returns 0 when the connection must close. */
static int serve(struct conn *c) {
  char out[BUF];
  int out_len = 0, keep = 1, at = 0;
  for (;;) {
    if (c->skip > 0) { /* body bytes of the previous request, discarded */
      int n = c->used - at < c->skip ? c->used - at : (int)c->skip;
      at += n, c->skip -= n;
      if (c->skip > 0) break;
    }
    char *head = c->buf + at, *end = memmem(head, c->used - at, "\r\n\r\n", 4);
    if (!end) break;
    *end = 0;
    char *length = strcasestr(head, "\r\ncontent-length:");
    if (length) c->skip = atol(length + 17);
    if (strcasestr(head, "\r\nconnection: close")) keep = 0;
    if (strncmp(head, "GET /__stats ", 13) == 0) {
      char body[64];
      int n = snprintf(body, sizeof body, "%llu %llu\n", requests, last_ns);
      out_len += snprintf(out + out_len, BUF - out_len,
                          "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", n, body);
    } else {
      requests++, last_ns = now_ns();
      memcpy(out + out_len, OK, sizeof OK - 1), out_len += sizeof OK - 1;
    }
    at = end + 4 - c->buf;
    if (out_len > BUF - 256 || !keep) break;
  }
  memmove(c->buf, c->buf + at, c->used - at);
  c->used -= at;
  if (out_len > 0 && write(c->fd, out, out_len) != out_len) return 0;
  return keep && c->used < BUF;
}

int main(void) {
  const char *port = getenv("PORT");
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port ? atoi(port) : 8080),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, 4096)) {
    perror("listen");
    return 1;
  }
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, events[256];
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  printf("listening on %s\n", port), fflush(stdout);
  for (;;) {
    int n = epoll_wait(ep, events, 256, -1);
    for (int i = 0; i < n; i++) {
      struct conn *c = events[i].data.ptr;
      if (c == NULL) {
        int fd;
        while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct conn *nc = calloc(1, sizeof *nc);
          nc->fd = fd;
          struct epoll_event cev = {.events = EPOLLIN, .data.ptr = nc};
          epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
        }
        continue;
      }
      ssize_t got = read(c->fd, c->buf + c->used, BUF - c->used);
      if (got < 0 && errno == EAGAIN) continue;
      if (got > 0) c->used += got;
      if (got <= 0 || !serve(c)) {
        close(c->fd);
        free(c);
      }
    }
  }
}
