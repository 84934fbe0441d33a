namespace Presence.Xmpp.Hosting;

/// <summary>
/// Decides which node of a cluster runs the XMPP component. A server accepts one connection per component JID (Prosody
/// answers a second one with the stream error <c>conflict</c>, RFC 6120 §4.9.3.3), so when several nodes share one
/// configuration exactly one of them — the holder of the lease — connects; the others wait on standby.
/// </summary>
public interface IComponentLeadership
{
    /// <summary>This node's name, as shown in logs, <c>/healthz</c> and the admin pages (never empty).</summary>
    string NodeName { get; }

    /// <summary>
    /// True when the nodes share presence through a common change log (several nodes on one database): a node without
    /// the lease then receives the holder's XMPP presence from the log, so it must neither annotate it on standby nor
    /// when it gives the lease up — its annotation, committed late, would override the new holder's fresh presence.
    /// </summary>
    bool SharesState => false;

    /// <summary>Waits until this node holds the lease and returns it. Failures to reach the coordinator are retried inside.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>The lease; dispose it to release it.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    ValueTask<IComponentLease> AcquireAsync(CancellationToken cancellationToken);
}

/// <summary>The right to run the XMPP component, held until disposed (which releases it) or lost.</summary>
public interface IComponentLease : IAsyncDisposable
{
    /// <summary>
    /// Cancelled when the lease is lost without being released (e.g. the connection to the coordinator that held it
    /// failed): another node may hold it already, so the holder stops using it at once.
    /// </summary>
    CancellationToken Lost { get; }
}

/// <summary>
/// The lease of a single node: always granted at once and never lost (the default when nothing else is registered,
/// e.g. with SQLite, whose database one node owns).
/// </summary>
public sealed class SingleNodeLeadership : IComponentLeadership
{
    /// <summary>Creates it.</summary>
    /// <param name="nodeName">This node's name; <see cref="DefaultNodeName"/> when <c>null</c> or blank.</param>
    public SingleNodeLeadership(string? nodeName = null) =>
        NodeName = string.IsNullOrWhiteSpace(nodeName) ? DefaultNodeName : nodeName;

    /// <summary>The machine name and the process id, e.g. <c>web1-4711</c>.</summary>
    public static string DefaultNodeName => $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <inheritdoc />
    public string NodeName { get; }

    /// <inheritdoc />
    public ValueTask<IComponentLease> AcquireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IComponentLease>(Lease.Instance);
    }

    private sealed class Lease : IComponentLease
    {
        public static readonly Lease Instance = new();

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync() => default;
    }
}
