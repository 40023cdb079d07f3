// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_policy: the user-space interface to the per-process x86_64
 * vsyscall policy.
 *
 * The kernel keeps the policy of each process and enforces it on the page
 * fault path (arch/x86/entry/vsyscall/vsyscall_64.c); this module only
 * decides who may set what, and serves
 *
 *   prctl(PR_SET_VSYSCALL, policy, flags, 0, 0)
 *   prctl(PR_GET_VSYSCALL, 0, 0, 0, 0)
 *
 * and /sys/kernel/vsyscall_policy/{boot_mode,emulated,denied}.  Unloading
 * it takes the prctl options away (they fail with EINVAL again) but leaves
 * every policy already set in force.
 *
 * Permission rules: a process may always move within what the boot mode
 * grants every process (default <-> deny), and may always keep what it
 * has (re-asserting its policy, with or without the lock, succeeds).  A
 * set that grants more than both, allow under vsyscall=none for a process
 * that does not have it, needs CAP_SYS_ADMIN in the initial user
 * namespace, so root in a container's user namespace gets no more than
 * any unprivileged process.  allow_unprivileged=1 lifts that.  The kernel
 * works out whether a set grants more (vsyscall_policy_set() says so with
 * -EACCES), so that this module and the fault path share one rule.
 */
#include <linux/capability.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sysfs.h>
#include <linux/vsyscall_policy.h>
#include <asm/vsyscall.h>

static bool allow_unprivileged;
module_param(allow_unprivileged, bool, 0644);
MODULE_PARM_DESC(allow_unprivileged,
		 "Let any process set PR_VSYSCALL_ALLOW under vsyscall=none (default: CAP_SYS_ADMIN only)");

/* The uapi values are the kernel's own; the prctl passes them through. */
static_assert(PR_VSYSCALL_DEFAULT == VSYSCALL_POLICY_DEFAULT);
static_assert(PR_VSYSCALL_DENY == VSYSCALL_POLICY_DENY);
static_assert(PR_VSYSCALL_ALLOW == VSYSCALL_POLICY_ALLOW);
static_assert(PR_VSYSCALL_LOCKED == VSYSCALL_POLICY_LOCKED);

static long set_policy(unsigned long policy, unsigned long flags)
{
	bool lock = flags & PR_VSYSCALL_LOCK;
	int ret;

	if (policy > PR_VSYSCALL_ALLOW || (flags & ~PR_VSYSCALL_LOCK))
		return -EINVAL;

	ret = vsyscall_policy_set(current->mm, policy, lock, false);
	if (ret == -EACCES) {
		/*
		 * The set grants more than the process has.  Ask capable()
		 * only now, so that ordinary sets leave no audit trail.
		 */
		if (!READ_ONCE(allow_unprivileged) && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		ret = vsyscall_policy_set(current->mm, policy, lock, true);
	}
	if (ret == -EPERM)
		pr_debug("%s[%d]: vsyscall policy is locked at %s\n",
			 current->comm, task_pid_nr(current),
			 vsyscall_policy_name(vsyscall_policy_get(current->mm)));
	return ret;
}

static long policy_prctl(int option, unsigned long arg2,
			 unsigned long arg3, unsigned long arg4,
			 unsigned long arg5)
{
	/* Kernel threads have no vsyscall page to set a policy for. */
	if (!current->mm)
		return -EINVAL;

	switch (option) {
	case PR_SET_VSYSCALL:
		if (arg4 || arg5)
			return -EINVAL;
		return set_policy(arg2, arg3);
	case PR_GET_VSYSCALL:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return vsyscall_policy_get(current->mm);
	}
	return -EINVAL;
}

static const struct vsyscall_policy_ops policy_ops = {
	.owner = THIS_MODULE,
	.prctl = policy_prctl,
};

/* /sys/kernel/vsyscall_policy/ */

static ssize_t boot_mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n", vsyscall_mode_name(vsyscall_boot_mode()));
}

static ssize_t emulated_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	unsigned long emulated, denied;

	vsyscall_counters(&emulated, &denied);
	return sysfs_emit(buf, "%lu\n", emulated);
}

static ssize_t denied_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	unsigned long emulated, denied;

	vsyscall_counters(&emulated, &denied);
	return sysfs_emit(buf, "%lu\n", denied);
}

static struct kobj_attribute boot_mode_attr = __ATTR_RO(boot_mode);
static struct kobj_attribute emulated_attr = __ATTR_RO(emulated);
static struct kobj_attribute denied_attr = __ATTR_RO(denied);

static struct attribute *policy_attrs[] = {
	&boot_mode_attr.attr,
	&emulated_attr.attr,
	&denied_attr.attr,
	NULL,
};

static const struct attribute_group policy_group = {
	.attrs = policy_attrs,
};

static struct kobject *policy_kobj;

static int __init vsyscall_policy_init(void)
{
	int ret;

	/*
	 * Register first: a second provider (another copy of this module
	 * under another name) must fail with -EBUSY before it touches
	 * sysfs, where the first one's directory already is.  Nothing may
	 * fail after this point: a prctl() call may already hold a reference
	 * to this module, and a failed init would free it under that call.
	 * So the sysfs files are best effort.
	 */
	ret = vsyscall_policy_register(&policy_ops);
	if (ret)
		return ret;

	policy_kobj = kobject_create_and_add("vsyscall_policy", kernel_kobj);
	if (policy_kobj && sysfs_create_group(policy_kobj, &policy_group)) {
		kobject_put(policy_kobj);
		policy_kobj = NULL;
	}
	if (!policy_kobj)
		pr_warn("no /sys/kernel/vsyscall_policy: out of memory\n");

	pr_info("serving PR_SET_VSYSCALL and PR_GET_VSYSCALL (vsyscall=%s)\n",
		vsyscall_mode_name(vsyscall_boot_mode()));
	return 0;
}

static void __exit vsyscall_policy_exit(void)
{
	if (policy_kobj) {
		sysfs_remove_group(policy_kobj, &policy_group);
		kobject_put(policy_kobj);
	}
	vsyscall_policy_unregister(&policy_ops);
}

module_init(vsyscall_policy_init);
module_exit(vsyscall_policy_exit);

MODULE_DESCRIPTION("prctl interface to the per-process x86_64 vsyscall policy");
MODULE_LICENSE("GPL");
