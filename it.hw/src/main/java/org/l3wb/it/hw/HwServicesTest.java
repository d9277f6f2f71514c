package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l3wb.hw.api.CacheFactory;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.MmuFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The hw bundles register their services through DS. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HwServicesTest {

    @InjectBundleContext
    BundleContext context;

    @ParameterizedTest
    @ValueSource(strings = {"i486dx50", "i486dx33"})
    void processorModelIsRegisteredUnderItsName(String name) throws Exception {
        Await.until(() -> !PluginWait.references(context, "(name=" + name + ")").isEmpty(),
                "a ProcessorModel service with name=" + name);
        ServiceReference<?>[] refs = context.getServiceReferences(ProcessorModel.class.getName(), "(name=" + name + ")");
        assertNotNull(refs, "no ProcessorModel service with name=" + name);
        assertEquals(1, refs.length, "ProcessorModel services with name=" + name);
        ProcessorModel model = (ProcessorModel) context.getService(refs[0]);
        try {
            assertEquals(name, model.name(), "name() matches the service property");
        } finally {
            context.ungetService(refs[0]);
        }
    }

    @Test
    void oneMachineFactory(@InjectService(cardinality = 1) ServiceAware<MachineFactory> factories) {
        assertEquals(1, factories.size(), "MachineFactory services");
    }

    @Test
    void oneMmuFactory(@InjectService(cardinality = 1) ServiceAware<MmuFactory> factories) {
        assertEquals(1, factories.size(), "MmuFactory services");
    }

    @Test
    void oneCacheFactory(@InjectService(cardinality = 1) ServiceAware<CacheFactory> factories) {
        assertEquals(1, factories.size(), "CacheFactory services");
    }

    @Test
    void i486Dx50RunsItsCostTable(@InjectService(filter = "(name=i486dx50)") ProcessorModel dx50,
                                  @InjectService MachineFactory machines) {
        Programs.assertWarmRunCostsTable(machines.create(dx50));
    }

    @Test
    void modelsListedByName(@InjectService(cardinality = 2) ServiceAware<ProcessorModel> models) {
        List<String> names = models.getServices().stream().map(ProcessorModel::name).sorted().toList();
        assertEquals(true, names.contains("i486dx50") && names.contains("i486dx33"), "models: " + names);
    }
}
