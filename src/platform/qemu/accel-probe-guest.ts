// Owns the tiny firmware image the accelerator probe boots: real mode → protected mode → long mode → a compute loop.
//
// Why not just wait for the SeaBIOS banner: on a nested/para-virtualised KVM (checked on a host whose /dev/kvm is
// kvm_pvm) SeaBIOS prints its banner under -accel kvm, yet a Debian kernel never gets past its real-mode setup and a
// 64-bit loop never finishes. So the probe only trusts KVM when 64-bit guest code runs at hardware speed.
//
// Each stage writes a byte to QEMU's debugcon port 0x402 ("R", "P", "L"); after 50 million loop iterations (≈20 ms on
// real KVM, ≈0.3 s under TCG) the guest writes "C:RAYOS-PROBE-DONE\n" and triple-faults, so QEMU (-no-reboot) exits.
// Source (GNU as; rebuild: as --64 -o p.o p.S && ld -m elf_x86_64 -Ttext=0xF0000 --oformat binary -e _start -o p.bin p.o):
//
//   .code16                              # QEMU maps a 64 KiB -bios image at 0xF0000; linked there
//   .globl _start
//   _start: cli; cld
//     mov $0x402,%dx; mov $'R',%al; out %al,%dx
//     mov %cs,%ax; mov %ax,%ds; lgdtl (gdtr - 0xF0000)
//     mov %cr0,%eax; or $1,%eax; mov %eax,%cr0; ljmpl $0x08,$pm32
//   .code32
//   pm32: mov $0x10,%ax; mov %ax,%ds; mov %ax,%es; mov %ax,%ss
//     mov $'P',%al; out %al,%dx
//     mov $0x1000,%edi; xor %eax,%eax; mov $3072,%ecx; rep stosl   # page tables in RAM at 0x1000-0x3fff
//     movl $0x2003,0x1000; movl $0x3003,0x2000; movl $0x83,0x3000  # identity-map the first 2 MiB
//     mov %cr4,%eax; or $0x20,%eax; mov %eax,%cr4                  # PAE
//     mov $0x1000,%eax; mov %eax,%cr3
//     mov $0xC0000080,%ecx; rdmsr; or $0x100,%eax; wrmsr           # EFER.LME
//     mov %cr0,%eax; or $0x80000000,%eax; mov %eax,%cr0; ljmpl $0x18,$lm64
//   .code64
//   lm64: mov $0x402,%dx; mov $'L',%al; out %al,%dx
//     mov $50000000,%ecx
//   1: dec %rcx; jnz 1b
//     lea msg(%rip),%rsi
//   2: lodsb; test %al,%al; jz 3f; out %al,%dx; jmp 2b
//   3: lidt idtr0(%rip); int3                                       # no IDT: triple fault ends QEMU
//   4: hlt; jmp 4b
//   .p2align 3
//   gdt: .quad 0, 0x00cf9b000000ffff, 0x00cf93000000ffff, 0x00af9b000000ffff  # accessed bits preset: ROM is read-only
//   gdtr: .word gdtr - gdt - 1; .long gdt
//   idtr0: .word 0; .quad 0
//   msg: .asciz "C:RAYOS-PROBE-DONE\n"
//   .org 0xFFF0
//   .code16
//     ljmp $0xf000,$(_start - 0xF0000)   # the reset vector
//   .org 0x10000

const CODE_HEX =
  'fafcba0204b052ee8cc88ed8660f0116e0000f20c06683c8010f22c066ea24000f00080066b810008ed88ec08ed0b050' +
  'eebf0010000031c0b9000c0000f3abc7050010000003200000c7050020000003300000c70500300000830000000f20e0' +
  '83c8200f22e0b8001000000f22d8b9800000c00f320d000100000f300f20c00d000000800f22c0ea8e000f00180066ba' +
  '0204b04ceeb980f0fa0248ffc975fb488d354a000000ac84c07403eeebf80f011d31000000ccf4ebfd8db400008d7400' +
  '0000000000000000ffff0000009bcf00ffff00000093cf00ffff0000009baf001f00c0000f0000000000000000000000' +
  '433a5241594f532d50524f42452d444f4e450a00';
const RESET_VECTOR_HEX = 'ea000000f0';

/** What the guest writes to debugcon, in order. */
export const PROBE_STAGE_BYTES = { realMode: 'R', protectedMode: 'RP', longMode: 'RPL' } as const;
export const PROBE_DONE_MARKER = 'RAYOS-PROBE-DONE';

/** The 64 KiB image to pass to QEMU as -bios (QEMU wants a multiple of 64 KiB). */
export function probeFirmwareImage(): Buffer {
  const image = Buffer.alloc(0x10000);
  Buffer.from(CODE_HEX, 'hex').copy(image, 0);
  Buffer.from(RESET_VECTOR_HEX, 'hex').copy(image, 0xfff0);
  return image;
}
