package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.ProcessorModel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/** The same 486 core and board at 33 MHz (paper, Table 2: L3 on a 486 at 33 MHz). */
@Component(service = ProcessorModel.class, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        configurationPid = "hw.cpu486.i486dx33", property = {"name=i486dx33", "clockMHz:Integer=33"})
@Designate(ocd = I486Config.class)
public class I486Dx33 extends I486Model {
    public I486Dx33() {
        super("i486dx33", "Intel 486 DX-33: 8 KB 4-way on-chip cache, 32-entry TLB, 256 KB external cache");
    }

    @Activate
    @Modified
    void activate(I486Config config) {
        configure(config);
    }
}
