package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.G_CURR_IPL;
import static org.l3wb.kernel.mach.MachData.G_CURR_PIC_MASK;
import static org.l3wb.kernel.mach.MachData.G_DOTIMEIN;
import static org.l3wb.kernel.mach.MachData.G_PIC_MASK;
import static org.l3wb.kernel.mach.MachData.SPL0;
import static org.l3wb.kernel.mach.MachData.SPLHI;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;

/**
 * The interrupt priority level of {@code i386/spl.s}: {@code splsched} and {@code splx}/{@code set_spl},
 * called by the scheduling routines around their critical sections (readme, "The modelled path", 4).
 * CLI and STI, which the processor API lacks, are one register instruction each.
 */
final class Spl {
    private Spl() {
    }

    /** splsched: CLI; old level loaded; SPLHI stored; RET. @return the old level */
    static int splsched(Trap t) {
        Processor cpu = t.cpu;
        int g = t.globals;
        cpu.call(t.at(Routine.SPLSCHED));
        CodeStep caller = cpu.step(Routine.SPLSCHED);
        cpu.alu(Reg.NONE, Reg.NONE); // CLI
        int old = cpu.load(Reg.EAX, Reg.NONE, g + G_CURR_IPL);
        cpu.store(Reg.NONE, g + G_CURR_IPL, Reg.NONE, SPLHI); // MOVL $SPLHI, curr_ipl
        cpu.ret();
        cpu.step(caller);
        return old;
    }

    /**
     * splx(s) and set_spl: argument range checks; PUSH EBP; CLI; old level saved; new level stored; the
     * softclock request checked at spl0; the level's PIC mask compared with the current one (equal on this
     * path, so no OUTB to the PIC); STI; RET.
     */
    static void splx(Trap t, int s) {
        Processor cpu = t.cpu;
        int g = t.globals;
        cpu.push(Reg.EAX, s);
        cpu.call(t.at(Routine.SPLX));
        CodeStep caller = cpu.step(Routine.SPLX);
        cpu.load(Reg.EAX, Reg.ESP, cpu.reg(Reg.ESP) + 4); // MOVL 4(%esp), %eax
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $0, %eax
        cpu.jcc(false);
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $SPLHI, %eax
        cpu.jcc(false);
        cpu.push(Reg.EBP, cpu.reg(Reg.EBP)); // set_spl: PUSHL %ebp; MOVL %esp, %ebp
        cpu.alu(Reg.EBP, Reg.ESP, cpu.reg(Reg.ESP));
        cpu.alu(Reg.NONE, Reg.NONE); // CLI
        int old = cpu.load(Reg.EDX, Reg.NONE, g + G_CURR_IPL);
        cpu.push(Reg.EDX, old);
        cpu.store(Reg.NONE, g + G_CURR_IPL, Reg.EAX, s);
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $SPLHI, %eax
        if (!cpu.jcc(s == SPLHI)) {
            cpu.alu(Reg.EAX, Reg.NONE); // CMPL $SPL0, %eax
            if (!cpu.jcc(s != SPL0)) {
                int timein = cpu.compare(Reg.NONE, Reg.NONE, g + G_DOTIMEIN); // CMPL $0, dotimein
                cpu.jcc(timein == 0);
            }
            int mask = cpu.load(Reg.EAX, Reg.NONE, Reg.EAX, g + G_PIC_MASK + 4 * s); // MOVW pic_mask(,%eax,2), %ax
            int current = cpu.compare(Reg.EAX, Reg.NONE, g + G_CURR_PIC_MASK);
            if (!cpu.jcc(mask == current)) {
                // (SET_PIC_MASK's OUTBs are not modelled: never on this path)
                cpu.store(Reg.NONE, g + G_CURR_PIC_MASK, Reg.EAX, mask);
            }
            cpu.alu(Reg.NONE, Reg.NONE); // STI
        }
        cpu.pop(Reg.EAX); // POPL %eax
        cpu.setReg(Reg.EBP, cpu.pop(Reg.EBP));
        cpu.ret();
        cpu.step(caller);
        cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 4); // ADDL $4, %esp
    }
}
