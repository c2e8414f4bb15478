# SPDX-License-Identifier: GPL-2.0-only
#
# Wrapper around Kbuild and the test harness. See README.md.
#
#   make                 build vmsm.ko for the host (amd64)
#   make ARCH=arm64      cross-build vmsm.ko for arm64
#   make run             boot a VM with vmsm and show it working
#   make check           every test: unit lane, builds, lint, VMs (both arches)
#   make unit            userspace unit tests of pure logic only
#   make fuzz            libFuzzer harnesses, FUZZ_SECONDS each (default 30)
#   make vm-test         VM test suite for $(ARCH) only
#   make bench           benchmarks in a VM ($(ARCH)), printed as a table
#   make soak            the ioctl fuzzer for VMSM_SOAK_SECONDS (default 3600)
#                        in a VM; FLAVOUR=debug for the checking kernel
#   make lint            checkpatch --strict, kernel-doc and the DOC: sections;
#                        the series in patches/: current, checkpatch, W=1
#                        builds in a patched tree (tools/series-build)
#   make sparse          sparse (C=1) build for $(ARCH)
#   make debug-kernel    build the amd64 checking kernel (in full once; then
#                        what the series changed), with vmsm in tree
#   make FLAVOUR=debug vm-test
#                        VM suite under the checking kernel (KASAN, lockdep,
#                        kmemleak, DMA-API debug, KUnit, fault injection)
#   make deb             build/deb/vmsm-dkms_<version>_all.deb (DKMS
#                        package: sources, dkms.conf, modprobe.d, overlays)
#   make board-check     the board-owner lane (amd64; BOARD_ARCH=arm64 for
#                        arm64 under qemu-user-static): the .deb and the
#                        kernel's headers installed with apt in a Debian 12
#                        root (debootstrap, cached), DKMS builds, the VM
#                        boots it, modprobe vmsm, a smoke set of the tests
#   make igt-check       vmsm's tests built in IGT (patches/igt/) and upstream
#                        IGT's generic tests on vmsm (amd64 VM, under
#                        igt_runner), IGT built once per machine from $IGT_SRC
#                        or ../shared/igt; expectations in
#                        igt-tests/expected-upstream.txt

TOP := $(CURDIR)
ARCH ?= x86
ifeq ($(ARCH),amd64)
override ARCH := x86
endif
ifeq ($(ARCH),x86_64)
override ARCH := x86
endif
DEBARCH := $(if $(filter arm64,$(ARCH)),arm64,amd64)
CACHE ?= $(TOP)/.cache
# debian: the Debian 6.12 kernels users run; debug: the checking kernel;
# 16k: Debian's arm64 kernel with 16 KiB pages (ARCH=arm64)
FLAVOUR ?= debian
ifeq ($(FLAVOUR),debug)
# vmsm is built in tree, with the checking kernel (tools/debug-kernel/build)
OUT := $(TOP)/build/$(DEBARCH)-debug
else ifeq ($(FLAVOUR),16k)
# arm64 only: Debian's arm64-16k kernel, 16 KiB CPU pages
KDIR ?= $(CACHE)/arm64-16k/build
OUT := $(TOP)/build/arm64-16k
else
KDIR ?= $(CACHE)/$(DEBARCH)/build
OUT := $(TOP)/build/$(DEBARCH)
endif
USEROUT := $(TOP)/build/$(DEBARCH)/user
KMAKE = $(MAKE) -C $(KDIR) M=$(OUT)/kmod ARCH=$(ARCH) W=1 \
	CONFIG_DRM_VMSM=m CONFIG_IOMMU_OWNER=m CONFIG_DMA_COHERENCY=m \
	$(if $(filter arm64,$(ARCH)),CROSS_COMPILE=aarch64-linux-gnu-)

.PHONY: all module userspace setup kmod-tree check run unit vm-test lint sparse clean \
	debug-kernel bench pgbench-module soak fuzz igt-check deb board-check

all: module userspace

setup:
	@$(TOP)/tools/host-setup

# Kbuild builds in the source folder; each arch gets a tree of symlinks so
# that amd64 and arm64 objects never mix.
kmod-tree:
	@mkdir -p $(OUT)/kmod
	@find $(OUT)/kmod -xtype l -delete 2>/dev/null || true
	@cp -asf $(TOP)/Kbuild $(TOP)/compat $(TOP)/drivers $(TOP)/include $(OUT)/kmod/

ifeq ($(FLAVOUR),debug)
module:
	$(TOP)/tools/debug-kernel/build
else
module: kmod-tree
	@test -e $(KDIR)/Makefile || { echo "no kernel headers at $(KDIR): run 'make setup'"; exit 1; }
	$(KMAKE) modules
endif

sparse: kmod-tree
	$(KMAKE) C=2 modules

userspace:
	$(MAKE) -C $(TOP)/igt-tests ARCH=$(DEBARCH) OUT=$(USEROUT)/tests
	$(MAKE) -C $(TOP)/tools ARCH=$(DEBARCH) OUT=$(USEROUT)/bin
	$(MAKE) -C $(TOP)/tools/fuzz ARCH=$(DEBARCH) OUT=$(USEROUT)/bin

unit:
	$(MAKE) -C $(TOP)/tests/unit run

fuzz:
	$(MAKE) -C $(TOP)/tests/fuzz run

vm-test: module userspace
	$(TOP)/tools/vmsm-vm --arch $(DEBARCH) --flavour $(FLAVOUR) test

debug-kernel:
	$(TOP)/tools/debug-kernel/build

# amd64 only: IGT is built for the host
igt-check: module
	$(if $(filter arm64,$(ARCH)),$(error igt-check runs on amd64 only))
	$(TOP)/tools/igt-build >/dev/null
	$(TOP)/tools/vmsm-vm --arch amd64 --flavour $(FLAVOUR) igt

# The bench-only module: vmsm's page tables (the same vmsm_pgtable.c) side
# by side with io-pgtable-arm (tools/bench/pgtable/), against Debian's
# kernels. The checking kernel's KUnit exports vmsm_pt_*() from vmsm.ko,
# which a second copy could not export again: not built there.
PGBENCH := $(OUT)/pgbench
pgbench-module:
ifneq ($(FLAVOUR),debug)
	@test -e $(KDIR)/Makefile || { echo "no kernel headers at $(KDIR): run 'make setup'"; exit 1; }
	@mkdir -p $(PGBENCH)
	@find $(PGBENCH) -xtype l -delete 2>/dev/null || true
	@cp -asf $(TOP)/tools/bench/pgtable/Kbuild $(TOP)/tools/bench/pgtable/pgbench.c \
		$(TOP)/drivers/gpu/drm/vmsm/vmsm_pgtable.c \
		$(TOP)/drivers/gpu/drm/vmsm/vmsm_pgtable.h $(PGBENCH)/
	$(MAKE) -C $(KDIR) M=$(PGBENCH) ARCH=$(ARCH) W=1 \
		$(if $(filter arm64,$(ARCH)),CROSS_COMPILE=aarch64-linux-gnu-) modules
endif

bench: module userspace pgbench-module
	$(TOP)/tools/vmsm-vm --arch $(DEBARCH) --flavour $(FLAVOUR) bench

soak: module userspace
	$(TOP)/tools/vmsm-vm --arch $(DEBARCH) --flavour $(FLAVOUR) soak

lint:
	$(TOP)/tools/lint

deb:
	@$(TOP)/tools/deb

# The lane boots what a board runs; the test programs come from that
# architecture's build (and their subtest lists from the amd64 one).
BOARD_ARCH ?= amd64
board-check:
	$(MAKE) ARCH=$(if $(filter arm64,$(BOARD_ARCH)),arm64,x86) userspace
	$(MAKE) ARCH=x86 userspace
	$(TOP)/tools/board-root --arch $(BOARD_ARCH) setup
	$(TOP)/tools/board-root --arch $(BOARD_ARCH) install "$$($(TOP)/tools/deb)"
	$(TOP)/tools/vmsm-vm --arch $(BOARD_ARCH) board

check:
	$(TOP)/tools/check

run:
	$(TOP)/tools/run

clean:
	rm -rf $(TOP)/build
	$(MAKE) -C $(TOP)/tests/unit clean
	$(MAKE) -C $(TOP)/tests/fuzz clean
