# SPDX-License-Identifier: GPL-2.0-only
#
# Wrapper around Kbuild and the test harness. See README.md.
#
#   make                 build vmsm.ko for the host (amd64)
#   make ARCH=arm64      cross-build vmsm.ko for arm64
#   make run             boot a VM with vmsm and show it working
#   make check           every test: unit lane, builds, lint, VMs (both arches)
#   make unit            userspace unit tests of pure logic only
#   make vm-test         VM test suite for $(ARCH) only
#   make lint            checkpatch --strict
#   make sparse          sparse (C=1) build for $(ARCH)

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
KDIR ?= $(CACHE)/$(DEBARCH)/build
OUT := $(TOP)/build/$(DEBARCH)
KMAKE = $(MAKE) -C $(KDIR) M=$(OUT)/kmod ARCH=$(ARCH) CONFIG_DRM_VMSM=m W=1 \
	$(if $(filter arm64,$(ARCH)),CROSS_COMPILE=aarch64-linux-gnu-)

.PHONY: all module userspace setup kmod-tree check run unit vm-test lint sparse clean

all: module userspace

setup:
	@$(TOP)/tools/host-setup

# Kbuild builds in the source folder; each arch gets a tree of symlinks so
# that amd64 and arm64 objects never mix.
kmod-tree:
	@mkdir -p $(OUT)/kmod
	@find $(OUT)/kmod -xtype l -delete 2>/dev/null || true
	@cp -asf $(TOP)/Kbuild $(TOP)/drivers $(TOP)/include $(OUT)/kmod/

module: kmod-tree
	@test -e $(KDIR)/Makefile || { echo "no kernel headers at $(KDIR): run 'make setup'"; exit 1; }
	$(KMAKE) modules

sparse: kmod-tree
	$(KMAKE) C=2 modules

userspace:
	$(MAKE) -C $(TOP)/igt-tests ARCH=$(DEBARCH) OUT=$(OUT)/user/tests
	$(MAKE) -C $(TOP)/tools ARCH=$(DEBARCH) OUT=$(OUT)/user/bin

unit:
	$(MAKE) -C $(TOP)/tests/unit run

vm-test: module userspace
	$(TOP)/tools/vmsm-vm --arch $(DEBARCH) test

lint:
	$(TOP)/tools/lint

check:
	$(TOP)/tools/check

run:
	$(TOP)/tools/run

clean:
	rm -rf $(TOP)/build
	$(MAKE) -C $(TOP)/tests/unit clean
