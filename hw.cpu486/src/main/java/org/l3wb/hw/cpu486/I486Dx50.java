package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.ProcessorModel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/** The paper's machine: Intel 486 DX-50, 256 KB external cache, 16 MB DRAM (section 6). */
@Component(service = ProcessorModel.class, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        configurationPid = "hw.cpu486.i486dx50", property = {"name=i486dx50", "clockMHz:Integer=50"})
@Designate(ocd = I486Config.class)
public class I486Dx50 extends I486Model {
    public I486Dx50() {
        super("i486dx50", "Intel 486 DX-50: 8 KB 4-way on-chip cache, 32-entry TLB, 256 KB external cache");
    }

    @Activate
    @Modified
    void activate(I486Config config) {
        configure(config);
    }
}
