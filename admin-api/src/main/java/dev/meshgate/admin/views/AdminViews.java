package dev.meshgate.admin.views;

/**
 * The providers of the read-only views. The gateway registers them when its parts are up, possibly after the admin
 * server started; until then a view answers 503. Thread-safe: each slot is a volatile reference.
 */
public final class AdminViews {

    private volatile SnapshotView snapshot;
    private volatile StatusView status;
    private volatile ListenersView listeners;
    private volatile RoutesView routes;
    private volatile ClustersView clusters;
    private volatile CertsView certs;
    private volatile MembersView members;

    public AdminViews snapshot(SnapshotView v) {
        this.snapshot = v;
        return this;
    }

    public AdminViews status(StatusView v) {
        this.status = v;
        return this;
    }

    public AdminViews listeners(ListenersView v) {
        this.listeners = v;
        return this;
    }

    public AdminViews routes(RoutesView v) {
        this.routes = v;
        return this;
    }

    public AdminViews clusters(ClustersView v) {
        this.clusters = v;
        return this;
    }

    public AdminViews certs(CertsView v) {
        this.certs = v;
        return this;
    }

    public AdminViews members(MembersView v) {
        this.members = v;
        return this;
    }

    public SnapshotView snapshot() {
        return snapshot;
    }

    public StatusView status() {
        return status;
    }

    public ListenersView listeners() {
        return listeners;
    }

    public RoutesView routes() {
        return routes;
    }

    public ClustersView clusters() {
        return clusters;
    }

    public CertsView certs() {
        return certs;
    }

    public MembersView members() {
        return members;
    }
}
