/* SPDX-License-Identifier: MIT */
/*
 * Copyright (C) 2026 The vmsm authors
 *
 * A minimal test harness with the shape of IGT GPU Tools' igt_core.h, so
 * that the tests in this folder read like IGT tests and can move into
 * IGT's tests/vmsm/ with few changes. Only the subset vmsm needs exists.
 *
 * A test is one binary. Its body, igt_main { ... }, is made of igt_fixture
 * blocks (setup and teardown, always run) and igt_subtest("name") blocks
 * (run when selected). No code may sit outside these blocks: the body is
 * walked twice, once to collect the subtest names and once to run them.
 *
 * An assertion that fails inside a subtest ends that subtest (FAIL) and
 * the test goes on with the next block. A failure in a fixture fails every
 * later subtest, an igt_require() that fails in a fixture skips them.
 *
 * The harness leaves the subtest with siglongjmp(): automatic variables of
 * the igt_main body that a subtest changes are indeterminate afterwards.
 * Keep state shared between blocks in static variables, and put the work
 * of a subtest in a function of its own.
 */
#ifndef IGT_CORE_H
#define IGT_CORE_H

#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Exit codes, as IGT and piglit use them. */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_INVALID	79

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define __igt_printf(a, b)	__attribute__((format(printf, a, b)))
#define __igt_noreturn		__attribute__((noreturn))

extern sigjmp_buf __igt_jmp;

int __igt_main(int argc, char **argv, void (*body)(void));
void __igt_fixture_begin(const char *file, int line);
void __igt_subtest_begin(const char *name, const char *file, int line);
void __igt_subtest_begin_f(const char *file, int line, const char *fmt, ...)
	__igt_printf(3, 4);
bool __igt_block_next(void);
void __igt_describe(const char *description);

void __igt_fail_assert(const char *file, int line, const char *func,
		       const char *expr, const char *fmt, ...)
	__igt_printf(5, 6) __igt_noreturn;
void __igt_skip_check(const char *file, int line, const char *func,
		      const char *expr, const char *fmt, ...)
	__igt_printf(5, 6) __igt_noreturn;

void igt_skip(const char *fmt, ...) __igt_printf(1, 2) __igt_noreturn;
void igt_fail(int exitcode) __igt_noreturn;
void igt_info(const char *fmt, ...) __igt_printf(1, 2);
void igt_warn(const char *fmt, ...) __igt_printf(1, 2);
void igt_debug(const char *fmt, ...) __igt_printf(1, 2);

typedef void (*igt_exit_handler_t)(int sig);
void igt_install_exit_handler(igt_exit_handler_t fn);

bool igt_only_list_subtests(void);
const char *igt_test_name(void);
const char *igt_subtest_name(void);

/**
 * igt_main - the body of a test binary: igt_main { igt_fixture ... }
 */
#define igt_main \
	static void __igt_main_body(void); \
	int main(int argc, char **argv) \
	{ \
		return __igt_main(argc, argv, __igt_main_body); \
	} \
	static void __igt_main_body(void)

/*
 * One block of the body. begin decides whether the block runs; the
 * harness then keeps its state, so that no variable of the body's frame
 * lives across sigsetjmp(). __igt_block_next() is true once to enter the
 * block and ends it the second time. A failure siglongjmp()s back to the
 * if and leaves the block with its result already recorded.
 */
#define __igt_block(begin) \
	for (begin; __igt_block_next(); ) \
		if (sigsetjmp(__igt_jmp, 1) != 0) \
			break; \
		else

#define igt_fixture	__igt_block(__igt_fixture_begin(__FILE__, __LINE__))

#define igt_subtest(name) \
	__igt_block(__igt_subtest_begin(name, __FILE__, __LINE__))

#define igt_subtest_f(...) \
	__igt_block(__igt_subtest_begin_f(__FILE__, __LINE__, __VA_ARGS__))

/* Text shown by --describe for the next subtest. */
#define igt_describe(description) __igt_describe(description)

#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(__FILE__, __LINE__, __func__, \
					  #expr, NULL); \
	} while (0)

#define igt_assert_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(__FILE__, __LINE__, __func__, \
					  #expr, __VA_ARGS__); \
	} while (0)

#define igt_fail_on(expr)		igt_assert(!(expr))
#define igt_fail_on_f(expr, ...)	igt_assert_f(!(expr), __VA_ARGS__)

/*
 * Comparisons evaluate each side once and print both values on failure.
 * type is the C type both sides are converted to, fmt prints one of them.
 */
#define __igt_assert_cmp(type, fmt, a, op, b) \
	do { \
		type __a = (a), __b = (b); \
		if (!(__a op __b)) \
			__igt_fail_assert(__FILE__, __LINE__, __func__, \
					  #a " " #op " " #b, \
					  "error: " fmt " " #op " " fmt \
					  " is false\n", __a, __b); \
	} while (0)

/* As IGT's: cmp is the comparison, ncmp its negation (unused here). */
#define igt_assert_cmpint(a, cmp, ncmp, b) \
	__igt_assert_cmp(int, "%d", a, cmp, b)
#define igt_assert_cmpuint(a, cmp, ncmp, b) \
	__igt_assert_cmp(unsigned int, "%#x", a, cmp, b)
#define igt_assert_cmpu64(a, cmp, ncmp, b) \
	__igt_assert_cmp(unsigned long long, "%#llx", a, cmp, b)
#define igt_assert_cmps64(a, cmp, ncmp, b) \
	__igt_assert_cmp(long long, "%lld", a, cmp, b)

#define igt_assert_eq(a, b)		igt_assert_cmpint(a, ==, !=, b)
#define igt_assert_neq(a, b)		igt_assert_cmpint(a, !=, ==, b)
#define igt_assert_lt(a, b)		igt_assert_cmpint(a, <, >=, b)
#define igt_assert_lte(a, b)		igt_assert_cmpint(a, <=, >, b)
#define igt_assert_eq_u32(a, b)		igt_assert_cmpuint(a, ==, !=, b)
#define igt_assert_neq_u32(a, b)	igt_assert_cmpuint(a, !=, ==, b)
#define igt_assert_eq_u64(a, b)		igt_assert_cmpu64(a, ==, !=, b)
#define igt_assert_neq_u64(a, b)	igt_assert_cmpu64(a, !=, ==, b)
#define igt_assert_lte_u64(a, b)	igt_assert_cmpu64(a, <=, >, b)
#define igt_assert_eq_s64(a, b)		igt_assert_cmps64(a, ==, !=, b)

#define igt_require(expr) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 #expr, NULL); \
	} while (0)

#define igt_require_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 #expr, __VA_ARGS__); \
	} while (0)

#define igt_skip_on(expr)		igt_require(!(expr))
#define igt_skip_on_f(expr, ...)	igt_require_f(!(expr), __VA_ARGS__)

#endif /* IGT_CORE_H */
