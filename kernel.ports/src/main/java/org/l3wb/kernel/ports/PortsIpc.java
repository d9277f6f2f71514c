package org.l3wb.kernel.ports;

import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadIpc;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Port-based IPC (paper 7.1): "we extend L3 ipc to support indirection and port rights". A thread is
 * addressed through a port: user level names it by an index into its own space's port link table,
 * whose write link points to the port's entry in the global port table; the entry names the thread
 * that receives on it. Both tables are reachable by the kernel only. An index without the right holds
 * a link into a page that is never mapped, so the rights check happens on the page-fault path and a
 * legal access costs no check at all. A call enters the caller's own port for the reply and sets the
 * receiver's reply link to it (Table 5); the receiver gets that reply index as the sender's identity
 * and answers through it. The thread-to-thread part is L3's ({@link ThreadIpc}).
 *
 * <pre>
 *  mechanism data + 0x25340          port table: port of thread t at + t x 16 (thread, reply-to, reply link)
 *  mechanism data + 4 MB + 0x40000   port link tables: task t's at + t x 4 KB, 512 links of (read, write)
 *  mechanism data + 8 MB             never mapped: the target of every link without a right
 * </pre>
 * Placement (5.5.1, 5.5.2): the offsets put the ports of the first threads and the first links handed
 * out (from index 72) into cache sets the hot kernel lines leave free, and their pages and page-table
 * entries away from the TLB set and cache sets of the TCBs.
 */
@Component(service = IpcMechanism.class, property = {"name=ports", "fallback.rank:Integer=20"})
public class PortsIpc implements IpcMechanism {
    /** The mechanism's name: its service property and the owner of its data region. */
    static final String MECHANISM = "ports";
    static final int PORT_SIZE = 16;
    static final int PORT_THREAD = 0;
    static final int PORT_REPLY_TO = 4;
    static final int PORT_REPLY_LINK = 8;
    static final int PORTS_OFFSET = 0x25340;
    static final int LINKS_OFFSET = (4 << 20) + 0x40000;
    static final int FIRST_LINK = 72;
    static final int NO_RIGHT_OFFSET = 8 << 20;
    static final int LINKS_PER_TASK = 512;
    static final int LINK_SIZE = 8;
    static final int LINK_READ = 0;
    static final int LINK_WRITE = 4;
    /** Link 0 of each table is not a link: its first word counts the links handed out. */
    static final int LINK_COUNTER = 0;

    private final ThreadIpc threads;

    @Activate
    public PortsIpc(@Reference(target = "(name=l3)") ThreadIpc threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return MECHANISM;
    }

    /** Yes: a port resolves to a thread, then L3's thread IPC waits and transfers (its tables hold no waits). */
    @Override
    public boolean keepsItsStateInThreadIpc() {
        return true;
    }

    static int portOf(KernelContext k, int threadNumber) {
        return k.layout().mechanismData(MECHANISM) + PORTS_OFFSET + threadNumber * PORT_SIZE;
    }

    static int linksOf(KernelContext k, int task) {
        return k.layout().mechanismData(MECHANISM) + LINKS_OFFSET + task * LINKS_PER_TASK * LINK_SIZE;
    }

    static int noRight(KernelContext k) {
        return k.layout().mechanismData(MECHANISM) + NO_RIGHT_OFFSET;
    }

    @Override
    public void ipc(KernelContext k, IpcOperation op) {
        Processor cpu = k.cpu();
        if (op == IpcOperation.RECEIVE) {
            threads.ipcTo(k, op, 0, 0, 0); // receiving needs no port: the sender's message finds us
            return;
        }
        int me = k.current();
        int index = cpu.reg(Reg.EDX);
        cpu.alu(Reg.EDX, index & (LINKS_PER_TASK - 1)); // restrict port index (in EDX: EBP carries word 1)
        int links = linksOf(k, cpu.load(me + Tcb.TASK));
        int port;
        int thread;
        try {
            port = cpu.loadIndexed(links + (index & (LINKS_PER_TASK - 1)) * LINK_SIZE + LINK_WRITE); // load port link
            thread = loadPortEntry(k, port + PORT_THREAD); // load port entry
        } catch (PageFault noRight) {
            cpu.movImm(Reg.EAX, ResultCode.NO_PARTNER.code());
            k.returnToUser();
            return;
        }
        cpu.alu(); // check empty
        cpu.jcc(thread == 0);
        // a port whose thread was deleted is empty too: entering the reply (below) would hand the
        // dead thread's task a link to our port, a right nobody granted (7.1: rights only by links the
        // kernel set up); the TCB's state is on the line the L3 path loads next anyway
        boolean dead = thread != 0 && cpu.load(thread + Tcb.STATE) == Tcb.FREE;
        if (thread != 0) {
            cpu.alu(); // CMP state, FREE
            cpu.jcc(dead);
        }
        if (thread == 0 || dead) {
            cpu.movImm(Reg.EAX, ResultCode.NO_PARTNER.code());
            k.returnToUser();
            return;
        }
        int myPort = portOf(k, cpu.load(me + Tcb.UID_LOW) >>> 10);
        cpu.store(port + PORT_REPLY_TO, myPort); // enter A for reply
        int replyLink = cpu.load(port + PORT_REPLY_LINK); // get B's reply index
        cpu.storeIndexed(k.layout().mechanismData(MECHANISM) + LINKS_OFFSET + replyLink * LINK_SIZE + LINK_WRITE,
                myPort); // set B's reply link
        threads.ipcTo(k, op, thread, replyLink & (LINKS_PER_TASK - 1), 0);
    }

    /** Loads a port entry; a link without the right points into an unmapped page, and faults (7.1). */
    private static int loadPortEntry(KernelContext k, int address) {
        try {
            return k.cpu().loadIndexed(address);
        } catch (PageFault f) {
            k.pageFault(f); // not a TCB or window fault: the handler gives it back
            throw f;
        }
    }

    @Override
    public void resumeTransfer(KernelContext k) {
        threads.resumeTransfer(k); // transfers are L3's
    }

    @Override
    public long endpoint(KernelContext k, int caller, int target) {
        Processor cpu = k.cpu();
        int targetPort = ownPort(k, target);
        ownPort(k, caller);
        int index = allocateLink(k, cpu.load(caller + Tcb.TASK));
        int links = linksOf(k, cpu.load(caller + Tcb.TASK));
        cpu.store(links + index * LINK_SIZE + LINK_WRITE, targetPort);
        return index;
    }

    /** @return the thread's own port, set up with its reply link on first use */
    private static int ownPort(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        int port = portOf(k, cpu.load(tcb + Tcb.UID_LOW) >>> 10);
        k.mapKernelPage(port);
        cpu.store(port + PORT_THREAD, tcb);
        if (cpu.load(port + PORT_REPLY_LINK) == 0) {
            int task = cpu.load(tcb + Tcb.TASK);
            cpu.store(port + PORT_REPLY_LINK, task * LINKS_PER_TASK + allocateLink(k, task));
        }
        return port;
    }

    /** @return a fresh link index in {@code task}'s table; a new table has no right anywhere */
    private static int allocateLink(KernelContext k, int task) {
        Processor cpu = k.cpu();
        int links = linksOf(k, task);
        k.mapKernelPage(links);
        int next = cpu.load(links + LINK_COUNTER);
        if (next == 0) {
            // link 0's read word is the counter; its write word, reached by index 0 (and by any
            // index masked onto it, such as a uid), must hold no right either
            cpu.store(links + LINK_COUNTER + LINK_WRITE, noRight(k));
            for (int i = 1; i < LINKS_PER_TASK; i++) {
                cpu.store(links + i * LINK_SIZE + LINK_READ, noRight(k));
                cpu.store(links + i * LINK_SIZE + LINK_WRITE, noRight(k));
            }
            next = FIRST_LINK;
        }
        if (next >= LINKS_PER_TASK) {
            throw new IllegalStateException("task " + task + " has all " + (LINKS_PER_TASK - 1) + " port links");
        }
        cpu.store(links + LINK_COUNTER, next + 1);
        return next;
    }
}
