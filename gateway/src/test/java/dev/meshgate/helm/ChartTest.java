package dev.meshgate.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.meshgate.cert.kubernetes.KubernetesSecretCredentialSource;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.source.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * helm/meshgate linted and rendered in-JVM with helm-java (Go Helm 3 as a native library, no helm binary), the
 * output parsed into fabric8 model objects and checked. Lives in the gateway module because the chart deploys the
 * gateway's jar and its RBAC must match what both the config-watcher and the cert-manager sources read; only this
 * module sees both, so the rules are compared with the code's own lists rather than with a copy.
 */
class ChartTest {

    static final Path CHART = Path.of("..", "helm", "meshgate").toAbsolutePath().normalize();
    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final Set<String> VERBS = Set.of("get", "list", "watch");

    record Rendered(List<HasMetadata> objects) {
        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> l = all(type);
            assertEquals(1, l.size(), "exactly one " + type.getSimpleName() + " expected, got " + l.size());
            return l.get(0);
        }
    }

    static Rendered render(UnaryOperator<TemplateCommand> values) {
        String out = values.apply(new Helm(CHART).template().withName("edge").withNamespace("gw")
                .withKubeVersion("1.30.0")).call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : out.split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                objects.add(YAML.unmarshal(doc, HasMetadata.class));
            }
        }
        return new Rendered(objects);
    }

    /** Values given as YAML, as a user's -f file would (helm-java's set() takes strings only). */
    static UnaryOperator<TemplateCommand> values(String yaml) {
        try {
            Path f = java.nio.file.Files.createTempFile("meshgate-values", ".yaml");
            f.toFile().deleteOnExit();
            java.nio.file.Files.writeString(f, yaml);
            return t -> t.withValuesFile(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void lintStrictPasses() {
        LintResult r = new Helm(CHART).lint().strict().call();
        assertFalse(r.isFailed(), String.join("\n", r.getMessages()));
    }

    @Test
    void defaultsRenderAnIngressGatewayBehindALoadBalancer() {
        Rendered r = render(t -> t);
        Deployment d = r.one(Deployment.class);
        assertEquals(2, d.getSpec().getReplicas());
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals("ingressgateway", podLabels.get("istio"));
        Map<String, String> ann = d.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", ann.get("prometheus.io/scrape"));
        assertEquals("15090", ann.get("prometheus.io/port"));
        assertEquals("/stats/prometheus", ann.get("prometheus.io/path"));

        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("run", "--kubernetes", "--cluster-domain=cluster.local",
                "--gateway-namespace=$(POD_NAMESPACE)", "--labels=istio=ingressgateway",
                "--port-map=80=8080,443=8443", "--drain-duration=20s", "--health-port=15021",
                "--stats-port=15090"), c.getArgs());
        assertEquals("/healthz/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(15021, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals(List.of("sleep", "5"), c.getLifecycle().getPreStop().getExec().getCommand());
        assertEquals(45L, d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        for (ContainerPort p : c.getPorts()) {
            assertTrue(p.getContainerPort() >= 1024, "unprivileged port expected: " + p);
        }
        assertEquals(Set.of(8080, 8443, 15021, 15090),
                Set.copyOf(c.getPorts().stream().map(ContainerPort::getContainerPort).toList()));

        SecurityContext sc = c.getSecurityContext();
        assertEquals(Boolean.TRUE, sc.getRunAsNonRoot());
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation());
        assertEquals(Boolean.FALSE, sc.getPrivileged());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
        var podSc = d.getSpec().getTemplate().getSpec().getSecurityContext();
        assertEquals(Boolean.TRUE, podSc.getRunAsNonRoot());
        assertTrue(podSc.getRunAsUser() > 0);
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                "a read-only root needs a writable /tmp");

        Service svc = r.one(Service.class);
        assertEquals("LoadBalancer", svc.getSpec().getType());
        assertEquals("Cluster", svc.getSpec().getExternalTrafficPolicy());
        assertEquals(Map.of(80, 8080, 443, 8443), ports(svc));
        for (Map.Entry<String, String> sel : svc.getSpec().getSelector().entrySet()) {
            assertEquals(sel.getValue(), podLabels.get(sel.getKey()), "Service selects the pods");
        }
        assertEquals(d.getSpec().getTemplate().getSpec().getServiceAccountName(),
                r.one(ServiceAccount.class).getMetadata().getName());

        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class);
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        assertEquals(svc.getSpec().getSelector(), pdb.getSpec().getSelector().getMatchLabels());
        assertTrue(r.all(HorizontalPodAutoscaler.class).isEmpty());
        assertTrue(r.all(NetworkPolicy.class).isEmpty());
        assertTrue(r.all(CustomResourceDefinition.class).isEmpty());
    }

    @Test
    void rbacGrantsExactlyWhatTheSourcesRead() {
        Rendered r = render(t -> t);
        String sa = r.one(ServiceAccount.class).getMetadata().getName();

        ClusterRole cr = r.one(ClusterRole.class);
        assertEquals(expectedConfigRules(), rules(cr.getRules()));
        ClusterRoleBinding crb = r.one(ClusterRoleBinding.class);
        assertEquals(cr.getMetadata().getName(), crb.getRoleRef().getName());
        assertEquals(sa, crb.getSubjects().get(0).getName());
        assertEquals("gw", crb.getSubjects().get(0).getNamespace());

        Role secrets = r.one(Role.class);
        assertEquals("gw", secrets.getMetadata().getNamespace());
        Set<String> expectedSecrets = new TreeSet<>();
        for (String res : KubernetesSecretCredentialSource.RBAC_RESOURCES) {
            expectedSecrets.add("/" + res);
        }
        assertEquals(expectedSecrets, rules(secrets.getRules()));
        assertEquals(secrets.getMetadata().getName(), r.one(RoleBinding.class).getRoleRef().getName());
    }

    /** The container args of every rendered variant are a valid {@code meshgate run} command line. */
    @Test
    void renderedArgsParseWithTheRealCommandLine() {
        List<UnaryOperator<TemplateCommand>> variants = List.of(t -> t,
                t -> t.withValuesFile(CHART.resolve("values-egress.yaml")),
                values("""
                        kubernetes: {watchNamespaces: [a, b], serviceRegistry: false, writeStatus: true}
                        """),
                values("""
                        kubernetes: {enabled: false}
                        config: {existingConfigMap: meshgate-config}
                        cluster: {enabled: true}
                        """));
        for (UnaryOperator<TemplateCommand> v : variants) {
            Container c = render(v).one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
            // what the kubelet does with $(VAR) references to the container's env
            String[] args = c.getArgs().stream().map(a -> a.replace("$(POD_NAMESPACE)", "gw")
                    .replace("$(POD_IP)", "10.1.2.3")).toArray(String[]::new);
            picocli.CommandLine.ParseResult parsed = dev.meshgate.cli.Main.commandLine().parseArgs(args);
            assertTrue(parsed.hasSubcommand(), c.getArgs().toString());
            assertEquals("run", parsed.subcommand().commandSpec().name());
            assertTrue(parsed.subcommand().unmatched().isEmpty(), c.getArgs().toString());
        }
    }

    @Test
    void statusWritingAddsPatchOnTheStatusSubresourcesOnly() {
        Rendered r = render(values("kubernetes: {writeStatus: true}"));
        List<PolicyRule> read = new ArrayList<>();
        Set<String> status = new TreeSet<>();
        for (PolicyRule rule : r.one(ClusterRole.class).getRules()) {
            if (rule.getVerbs().equals(KubernetesAccess.STATUS_VERBS)) {
                rule.getApiGroups().forEach(g -> rule.getResources().forEach(res -> status.add(g + "/" + res)));
            } else {
                read.add(rule);
            }
        }
        assertEquals(expectedConfigRules(), rules(read));
        Set<String> expected = new TreeSet<>();
        for (KubernetesAccess.ApiResource a : KubernetesAccess.statusWrites(EnumSet.allOf(Kind.class))) {
            expected.add(a.group() + "/" + a.resource());
        }
        assertEquals(expected, status);
        assertTrue(r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()
                .contains("--kubernetes-write-status"));
    }

    @Test
    void watchedNamespacesGetRolesInsteadOfAClusterRole() {
        Rendered r = render(values("""
                kubernetes:
                  watchNamespaces: [team-a, team-b]
                  serviceRegistry: false
                """));
        assertTrue(r.all(ClusterRole.class).isEmpty());
        assertTrue(r.all(ClusterRoleBinding.class).isEmpty());
        List<Role> config = r.all(Role.class).stream().filter(x -> x.getMetadata().getName().endsWith("-config"))
                .toList();
        assertEquals(Set.of("team-a", "team-b"), Set.copyOf(config.stream().map(x -> x.getMetadata().getNamespace())
                .toList()));
        Set<String> expected = new TreeSet<>();
        for (KubernetesAccess.ApiResource a : KubernetesAccess.required(EnumSet.allOf(Kind.class), false)) {
            expected.add(a.group() + "/" + a.resource());
        }
        for (Role role : config) {
            assertEquals(expected, rules(role.getRules()));
        }
        assertTrue(r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()
                .containsAll(List.of("--kubernetes-namespaces=team-a,team-b", "--kubernetes-service-registry=false")));
    }

    @Test
    void egressPresetIsAClusterIpEgressGateway() {
        Rendered r = render(t -> t.withValuesFile(CHART.resolve("values-egress.yaml")));
        Deployment d = r.one(Deployment.class);
        assertEquals("egressgateway", d.getSpec().getTemplate().getMetadata().getLabels().get("istio"));
        assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()
                .contains("--labels=istio=egressgateway"));
        Service svc = r.one(Service.class);
        assertEquals("ClusterIP", svc.getSpec().getType());
        assertNull(svc.getSpec().getExternalTrafficPolicy());
        assertEquals(Map.of(80, 8080, 443, 8443), ports(svc));
    }

    @Test
    void clusteringAddsAHeadlessServiceAndTheClusterFlag() {
        // clustering is the standalone mode: configuration from a ConfigMap, no API access at all
        Rendered r = render(values("""
                kubernetes: {enabled: false}
                config: {existingConfigMap: meshgate-config}
                cluster: {enabled: true}
                autoscaling: {enabled: true}
                networkPolicy: {enabled: true}
                """));
        Service headless = r.all(Service.class).stream().filter(s -> "None".equals(s.getSpec().getClusterIP()))
                .findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses());
        assertEquals(Map.of(5701, 5701), ports(headless));
        Deployment d = r.one(Deployment.class);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(c.getArgs().contains("--cluster"), c.getArgs().toString());
        assertTrue(c.getArgs().contains("--cluster-dns=" + headless.getMetadata().getName()
                + ".gw.svc.cluster.local"), c.getArgs().toString());
        assertTrue(c.getArgs().contains("--cluster-port=5701"), c.getArgs().toString());
        assertTrue(c.getArgs().containsAll(List.of("--cluster-bind=$(POD_IP)", "--config=/etc/meshgate/config")),
                c.getArgs().toString());
        assertFalse(c.getArgs().contains("--kubernetes"));
        assertTrue(r.all(ClusterRole.class).isEmpty() && r.all(Role.class).isEmpty(), "no API access needed");
        assertEquals(Boolean.FALSE, d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
        assertEquals("meshgate-config", d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName());
        assertTrue(c.getPorts().stream().anyMatch(p -> p.getContainerPort() == 5701));

        assertNull(d.getSpec().getReplicas(), "the HPA owns the replica count");
        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class);
        assertEquals(d.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(5, hpa.getSpec().getMaxReplicas());

        NetworkPolicy np = r.one(NetworkPolicy.class);
        Set<Integer> allowed = new HashSet<>();
        np.getSpec().getIngress().forEach(rule -> rule.getPorts().forEach(p -> allowed.add(p.getPort().getIntVal())));
        assertEquals(Set.of(8080, 8443, 15021, 15090, 5701), allowed);
    }

    @Test
    void optionalCrdsCoverExactlyTheServedKinds() {
        Rendered r = render(values("crds: {install: true}"));
        List<CustomResourceDefinition> crds = r.all(CustomResourceDefinition.class);
        Set<String> expected = new TreeSet<>();
        for (Kind k : Kind.values()) {
            expected.add(k.plural() + "." + k.group());
        }
        assertEquals(expected, new TreeSet<>(crds.stream().map(c -> c.getMetadata().getName()).toList()));
        for (CustomResourceDefinition crd : crds) {
            Kind k = Kind.byKindName(crd.getSpec().getNames().getKind()).orElseThrow();
            assertEquals(k.versions(), crd.getSpec().getVersions().stream()
                    .map(CustomResourceDefinitionVersion::getName).toList());
            assertEquals(1, crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getStorage)
                    .count());
            assertTrue(crd.getSpec().getVersions().stream().allMatch(CustomResourceDefinitionVersion::getServed));
            assertEquals("keep", crd.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        }
    }

    @Test
    void badValuesAreRefused() {
        // a privileged container port would need NET_BIND_SERVICE, which the pods do not have
        RuntimeException schema = assertThrows(RuntimeException.class,
                () -> render(values("""
                        ports: [{name: http2, port: 80, targetPort: 80}]
                        """)));
        assertTrue(schema.getMessage().contains("targetPort"), schema.getMessage());
        RuntimeException both = assertThrows(RuntimeException.class,
                () -> render(values("cluster: {enabled: true}")));
        assertTrue(both.getMessage().contains("standalone mode"), both.getMessage());
        RuntimeException noConfig = assertThrows(RuntimeException.class,
                () -> render(values("kubernetes: {enabled: false}")));
        assertTrue(noConfig.getMessage().contains("config.existingConfigMap"), noConfig.getMessage());
        RuntimeException grace = assertThrows(RuntimeException.class,
                () -> render(values("terminationGracePeriodSeconds: 10")));
        assertTrue(grace.getMessage().contains("terminationGracePeriodSeconds"), grace.getMessage());
    }

    private static Set<String> expectedConfigRules() {
        Set<String> out = new TreeSet<>();
        for (KubernetesAccess.ApiResource a : KubernetesAccess.required(EnumSet.allOf(Kind.class), true)) {
            out.add(a.group() + "/" + a.resource());
        }
        return out;
    }

    /** group/resource for every rule line; every rule must be exactly get/list/watch with no names or URLs. */
    private static Set<String> rules(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule rule : rules) {
            assertEquals(VERBS, Set.copyOf(rule.getVerbs()), "verbs of " + rule);
            assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty());
            assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty());
            for (String g : rule.getApiGroups()) {
                for (String res : rule.getResources()) {
                    assertFalse(res.contains("*") || g.contains("*"), "no wildcards: " + rule);
                    assertTrue(out.add(g + "/" + res), "listed twice: " + g + "/" + res);
                }
            }
        }
        return out;
    }

    private static Map<Integer, Integer> ports(Service svc) {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        for (ServicePort p : svc.getSpec().getPorts()) {
            out.put(p.getPort(), p.getTargetPort().getIntVal());
        }
        return out;
    }
}
