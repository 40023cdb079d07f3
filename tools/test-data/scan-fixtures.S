/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inputs for test-vsyscall-scan.sh: every pattern vsyscall-scan reports,
 * and near misses it must not report.  Never run, only scanned.
 *
 * Built three ways: a static non-PIE executable (-DDIRECT adds the
 * direct branches, which only ET_EXEC code can aim at a fixed address),
 * a PIE and a shared object.  Each site has a global symbol, so that
 * the test takes the expected address from nm, not from the scanner.
 * Sites named site_* must be reported, near_* must not.
 */
	.set	vgettimeofday, 0xffffffffff600000
	.set	vtime, 0xffffffffff600400
	.set	vgetcpu, 0xffffffffff600800

	.text
	.globl	main
main:
	xor	%eax, %eax
	ret

/* glibc 2.12 time(), byte for byte: mov $0xffffffffff600400,%rax; call *%rax */
	.globl	site_time
site_time:
	.byte	0x48, 0xc7, 0xc0, 0x00, 0x04, 0x60, 0xff
	.byte	0xff, 0xd0
	ret

/* glibc 2.12 sched_getcpu() */
	.globl	site_getcpu
site_getcpu:
	.byte	0x48, 0xc7, 0xc0, 0x00, 0x08, 0x60, 0xff
	.byte	0xff, 0xd0
	ret

/* glibc 2.12 gettimeofday() without a vDSO */
	.globl	site_gtod
site_gtod:
	.byte	0x48, 0xc7, 0xc0, 0x00, 0x00, 0x60, 0xff
	.byte	0xff, 0xd0
	ret

/* the 64-bit immediate form, through r11 (49 bb imm64; 41 ff d3) */
	.globl	site_movabs_r11
site_movabs_r11:
	movabs	$0xffffffffff600000, %r11
	call	*%r11
	ret

/* a tail call through r9 (49 c7 c1 imm32; 41 ff e1) */
	.globl	site_jmp_r9
site_jmp_r9:
	mov	$0xffffffffff600400, %r9
	jmp	*%r9

/* movabs and jmp (48 b9 imm64; ff e1) */
	.globl	site_movabs_jmp
site_movabs_jmp:
	movabs	$0xffffffffff600800, %rcx
	jmp	*%rcx

/* the call a few instructions after the mov */
	.globl	site_gap
site_gap:
	mov	$0xffffffffff600800, %rax
	xor	%edi, %edi
	mov	%rdi, %rsi
	call	*%rax
	ret

/* not an entry point: reported as page+0x123 */
	.globl	site_page123
site_page123:
	mov	$0xffffffffff600123, %rdx
	call	*%rdx
	ret

#ifdef DIRECT
/* direct branches to absolute addresses, e8 and e9 rel32 */
	.globl	site_call_rel32
site_call_rel32:
	call	vtime
	ret

	.globl	site_jmp_rel32
site_jmp_rel32:
	jmp	vgettimeofday
#endif

/* the address returned, not called here */
	.globl	near_ret
near_ret:
	mov	$0xffffffffff600000, %rax
	ret

/* loaded into one register, another one called */
	.globl	near_other_reg
near_other_reg:
	mov	$0xffffffffff600400, %rax
	call	*%rbx
	ret

/* a 32-bit mov zero-extends: 0xff600400, not the page (b8 imm32) */
	.globl	near_mov32
near_mov32:
	.byte	0xb8, 0x00, 0x04, 0x60, 0xff
	.byte	0xff, 0xd0
	ret

/* the call too far after the mov (20 bytes of nop) */
	.globl	near_far_call
near_far_call:
	mov	$0xffffffffff600400, %rax
	.fill	20, 1, 0x90
	call	*%rax
	ret

	.section .rodata
	.balign	8
	.globl	site_ptr_rodata
site_ptr_rodata:
	.quad	vtime

	.data
	.balign	8
	.globl	site_ptr_data
site_ptr_data:
	.quad	vgetcpu
/* data that is not an entry point */
	.globl	near_ptr_page123
near_ptr_page123:
	.quad	0xffffffffff600123
/* an entry point at an offset that is not 8-byte aligned */
	.globl	near_ptr_unaligned
near_ptr_unaligned:
	.long	0
	.quad	vgettimeofday
	.long	0

/* a section that is not loaded (as debug information is) */
	.section .fixture.notes, "", @progbits
	.balign	8
	.quad	vtime

	.section .note.GNU-stack, "", @progbits
