// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_rodata_check: a test module proving that the vsyscall page
 * cannot be written through any kernel mapping of its physical page.
 *
 * Its init runs the checks, prints one line per check ("ok ..." or
 * "FAIL ...") and fails with -EPERM unless every check passed, so that the
 * exit status of insmod is the verdict.  When it loads, it does nothing
 * more and can be unloaded at once.
 *
 * Finding the page.  The page is the kernel's __vsyscall_page, which is
 * not exported, and kallsyms_lookup_name() is not exported to modules
 * either.  The fixmap PTE at VSYSCALL_ADDR points at the page only in
 * vsyscall=native and emulate: in xonly and none there is no PTE at all.
 * The one route that works in every mode without private symbols is to be
 * told: the guest script reads the address of __vsyscall_page from
 * /proc/kallsyms (as root; the test kernel has CONFIG_KALLSYMS_ALL, which
 * data symbols need) and passes it as vsyscall_page=.  That is the
 * page's kernel image address; its physical address follows with the
 * exported phys_base, as __pa_symbol() computes it.  The module does not
 * trust the parameter blindly: the page must hold the three entry points,
 * and where the fixmap maps the page, it must map this one.
 *
 * The checks, in this order:
 *   1. the page holds the vsyscall entry points (mov $nr, %rax; syscall;
 *      ret at 0x000, 0x400 and 0x800)
 *   2. the kernel image alias (__START_KERNEL_map + phys - phys_base) has
 *      a present PTE without _PAGE_RW
 *   3. a write of the byte already there through it fails with -EFAULT
 *   4. the direct map alias (__va(phys)) has a present PTE without _PAGE_RW
 *   5. a write through it fails with -EFAULT
 *   6. the fixmap: with mode=native or emulate, a present PTE for this
 *      page without _PAGE_RW; with xonly or none, no present PTE
 *
 * mode= is the vsyscall mode the harness expects (EXPECT_MODE); the module
 * never works it out from the kernel.  The fixmap is only looked at, not
 * written: VSYSCALL_ADDR counts as a user address, so a kernel write that
 * faults there is a SMAP violation, which oopses instead of taking the
 * exception table fixup (and copy_from_kernel_nofault() refuses it).
 *
 * Never load this on a production kernel: it writes to kernel memory (the
 * byte that is already there, through mappings that must refuse it).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/page.h>
#include <asm/unistd.h>
#include <asm/vsyscall.h>

static unsigned long vsyscall_page;
module_param(vsyscall_page, ulong, 0444);
MODULE_PARM_DESC(vsyscall_page,
		 "Address of __vsyscall_page, as /proc/kallsyms shows it (required)");

static char *mode;
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "Expected vsyscall mode: native, emulate, xonly or none (required)");

static int failed;

static __printf(2, 3) void check(bool ok, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("%s %pV\n", ok ? "ok" : "FAIL", &vaf);
	va_end(args);
	if (!ok)
		failed++;
}

/*
 * copy_to_kernel_nofault() for one byte.  That function is not exported
 * to modules; this is its body, the same __put_kernel_nofault() with an
 * exception table entry, so a write to a read-only mapping faults and
 * returns -EFAULT instead of oopsing.
 */
static long write_byte_nofault(unsigned long addr, u8 val)
{
	pagefault_disable();
	__put_kernel_nofault((void *)addr, &val, u8, efault);
	pagefault_enable();
	return 0;
efault:
	pagefault_enable();
	return -EFAULT;
}

/* The PTE of @addr in the kernel page tables, or NULL when none is present */
static pte_t *present_pte(unsigned long addr, unsigned int *level)
{
	pte_t *pte = lookup_address(addr, level);

	if (!pte || !(pte_flags(*pte) & _PAGE_PRESENT))
		return NULL;
	return pte;
}

/* Checks 2 and 3, or 4 and 5: @addr maps the page read-only. */
static void check_alias(const char *name, unsigned long addr)
{
	unsigned int level;
	pte_t *pte = present_pte(addr, &level);
	long ret;
	u8 byte;

	if (!pte)
		check(false, "%s alias 0x%lx: no present PTE", name, addr);
	else
		check(!(pte_flags(*pte) & _PAGE_RW),
		      "%s alias 0x%lx: PTE 0x%llx (level %u) is %s",
		      name, addr, (unsigned long long)pte_val(*pte), level,
		      pte_flags(*pte) & _PAGE_RW ? "writable" : "read-only");

	if (copy_from_kernel_nofault(&byte, (void *)addr, 1)) {
		check(false, "%s alias 0x%lx: cannot read the page", name, addr);
		return;
	}
	ret = write_byte_nofault(addr, byte);
	check(ret == -EFAULT, "%s alias 0x%lx: writing 0x%02x back %s (%ld)",
	      name, addr, byte, ret == -EFAULT ? "is refused" : "succeeded", ret);
}

/* Check 1: mov $nr, %rax (48 c7 c0 imm32); syscall (0f 05); ret (c3) */
static bool entry_ok(unsigned long page, unsigned int offset, u32 nr)
{
	const u8 want[] = { 0x48, 0xc7, 0xc0, nr & 0xff, (nr >> 8) & 0xff,
			    (nr >> 16) & 0xff, nr >> 24, 0x0f, 0x05, 0xc3 };
	u8 have[sizeof(want)];

	if (copy_from_kernel_nofault(have, (void *)(page + offset), sizeof(have)))
		return false;
	return !memcmp(have, want, sizeof(want));
}

/* Check 6 */
static void check_fixmap(bool mapped, unsigned long phys)
{
	unsigned int level;
	pte_t *pte = present_pte(VSYSCALL_ADDR, &level);

	if (!mapped)
		check(!pte, "fixmap 0x%lx: %s PTE with vsyscall=%s",
		      VSYSCALL_ADDR, pte ? "a present" : "no", mode);
	else if (!pte)
		check(false, "fixmap 0x%lx: no present PTE with vsyscall=%s",
		      VSYSCALL_ADDR, mode);
	else
		check(level == PG_LEVEL_4K && pte_pfn(*pte) == PHYS_PFN(phys) &&
		      !(pte_flags(*pte) & _PAGE_RW),
		      "fixmap 0x%lx: PTE 0x%llx (level %u) maps pfn 0x%lx (the page: 0x%lx), %s",
		      VSYSCALL_ADDR, (unsigned long long)pte_val(*pte), level,
		      pte_pfn(*pte), PHYS_PFN(phys),
		      pte_flags(*pte) & _PAGE_RW ? "writable" : "read-only");
}

static int __init vsyscall_rodata_check_init(void)
{
	unsigned long phys, image, direct;
	bool mapped;

	if (!mode || (strcmp(mode, "native") && strcmp(mode, "emulate") &&
		      strcmp(mode, "xonly") && strcmp(mode, "none"))) {
		pr_err("mode= must be native, emulate, xonly or none\n");
		return -EINVAL;
	}
	mapped = !strcmp(mode, "native") || !strcmp(mode, "emulate");

	if (!PAGE_ALIGNED(vsyscall_page) || vsyscall_page < __START_KERNEL_map ||
	    vsyscall_page - __START_KERNEL_map >= KERNEL_IMAGE_SIZE) {
		pr_err("vsyscall_page=0x%lx is not a page of the kernel image\n",
		       vsyscall_page);
		return -EINVAL;
	}

	/* __pa_symbol(); the image alias is __START_KERNEL_map + phys - phys_base */
	phys = vsyscall_page - __START_KERNEL_map + phys_base;
	image = vsyscall_page;
	direct = (unsigned long)__va(phys);
	pr_info("__vsyscall_page: physical 0x%lx, image alias 0x%lx, direct map alias 0x%lx\n",
		phys, image, direct);

	failed = 0;
	check(entry_ok(image, 0x000, __NR_gettimeofday) &&
	      entry_ok(image, 0x400, __NR_time) &&
	      entry_ok(image, 0x800, __NR_getcpu),
	      "page 0x%lx holds the vsyscall entry points", image);
	check_alias("image", image);
	check_alias("direct map", direct);
	check_fixmap(mapped, phys);

	if (failed) {
		pr_err("%d of 6 checks failed\n", failed);
		return -EPERM;
	}
	pr_info("all 6 checks passed\n");
	return 0;
}

static void __exit vsyscall_rodata_check_exit(void)
{
}

module_init(vsyscall_rodata_check_init);
module_exit(vsyscall_rodata_check_exit);

MODULE_DESCRIPTION("Test: no kernel mapping of the vsyscall page is writable");
MODULE_LICENSE("GPL");
