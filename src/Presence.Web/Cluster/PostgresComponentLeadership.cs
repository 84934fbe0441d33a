using Medallion.Threading.Postgres;
using Npgsql;
using Presence.Xmpp.Hosting;
using Presence.Xmpp.Resilience;

namespace Presence.Web.Cluster;

/// <summary>
/// The XMPP component's lease as a PostgreSQL session-level advisory lock (DistributedLock.Postgres) in the service's
/// database: the node whose connection holds the lock runs the component; the others wait for it. The key is derived
/// from the component JID, so two clusters with different components can share a database. The lock's connection is
/// its own (no pooling, no multiplexing) and carries the node name as its <c>Application Name</c>, so
/// <c>pg_stat_activity</c> shows which node holds it (the session with the granted advisory lock in <c>pg_locks</c>)
/// and which wait. A holder whose connection dies loses the lock at the server at once: <see cref="IComponentLease.Lost"/>
/// fires when this side notices (the library watches the connection; a keepalive query runs every
/// <see cref="Keepalive"/>), and a waiting node takes the lock as soon as the server has ended the old session.
/// </summary>
public sealed class PostgresComponentLeadership : IComponentLeadership
{
    /// <summary>Default cadence of the keepalive query on the holding connection: 5 s.</summary>
    public static readonly TimeSpan DefaultKeepalive = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest single wait for the lock before a waiting node opens a new connection and waits again (so a waiter
    /// whose connection silently died does not wait on it for ever): 15 s.
    /// </summary>
    public static readonly TimeSpan WaitRound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Server settings of the lock's session (PostgreSQL <c>tcp_keepalives_*</c>): a silent holder's connection is
    /// probed after 10 s without traffic, every 5 s, and ended after 3 unanswered probes — its lock released ~25 s after
    /// its machine vanished.
    /// </summary>
    public const string ServerKeepaliveOptions = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3";

    private readonly PostgresDistributedLock _lock;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates it; nothing connects until <see cref="AcquireAsync"/>.</summary>
    /// <param name="connectionString">The service's PostgreSQL connection string (<c>ConnectionStrings:Presence</c>).</param>
    /// <param name="componentJid">The component's JID; the lock's name is derived from it (case-insensitively).</param>
    /// <param name="nodeName">This node's name (<c>Presence:Cluster:NodeName</c>), set as the lock connection's <c>Application Name</c>.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="keepalive">Cadence of the keepalive query on the holding connection (&gt; 0); <see cref="DefaultKeepalive"/> when <c>null</c>.</param>
    /// <param name="time">Clock of the retry delays; <see cref="TimeProvider.System"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is not a valid Npgsql connection string, or a name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keepalive"/> is not positive.</exception>
    public PostgresComponentLeadership(string connectionString, string componentJid, string nodeName, ILogger<PostgresComponentLeadership> logger,
        TimeSpan? keepalive = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(componentJid);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        var cadence = keepalive ?? DefaultKeepalive;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(cadence, TimeSpan.Zero, nameof(keepalive));
        NodeName = nodeName;
        LockName = "presence:xmpp-component:" + componentJid.ToLowerInvariant();
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = nodeName, Pooling = false };
        // The server notices a holder whose machine vanished without closing the connection by TCP keepalive; its
        // defaults (the OS's, often 2 hours) would keep the lock that long. These settings are per session.
        builder.Options = (builder.Options is { Length: > 0 } given ? given + " " : "") + ServerKeepaliveOptions;
        _lock = new PostgresDistributedLock(new PostgresAdvisoryLockKey(LockName, allowHashing: true), builder.ConnectionString,
            o => o.KeepaliveCadence(cadence).UseMultiplexing(false));
        Keepalive = cadence;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string NodeName { get; }

    /// <summary>The lock's name (hashed into the 64-bit advisory lock key): <c>presence:xmpp-component:</c> and the component JID.</summary>
    public string LockName { get; }

    /// <summary>Cadence of the keepalive query on the holding connection.</summary>
    public TimeSpan Keepalive { get; }

    /// <summary>
    /// Waits until this node's connection holds the lock. Failures to reach PostgreSQL are logged and retried with
    /// capped exponential backoff (1 s doubling to 30 s, with jitter).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async ValueTask<IComponentLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var waiting = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PostgresDistributedLockHandle? handle;
            try
            {
                handle = await _lock.TryAcquireAsync(WaitRound, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                var delay = Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), failures++);
                _logger.LogWarning("Node {Node} cannot take the XMPP component's lock in PostgreSQL: {Error}; trying again in {Delay:0.0} s",
                    NodeName, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (handle is null)
            {
                if (!waiting) _logger.LogInformation("Node {Node} waits for the XMPP component's lock {Lock}: another node holds it", NodeName, LockName);
                waiting = true;
                failures = 0;
                continue;
            }
            var lease = new Lease(handle, this);
            _logger.LogInformation("Node {Node} took the XMPP component's lock {Lock}", NodeName, LockName);
            return lease;
        }
    }

    private sealed class Lease : IComponentLease
    {
        private readonly PostgresDistributedLockHandle _handle;
        private readonly PostgresComponentLeadership _owner;
        private readonly CancellationTokenRegistration _onLost;
        private int _disposed;

        public Lease(PostgresDistributedLockHandle handle, PostgresComponentLeadership owner)
        {
            _handle = handle;
            _owner = owner;
            Lost = handle.HandleLostToken; // starts watching the connection
            _onLost = Lost.Register(static o => ((Lease)o!).OnLost(), this);
        }

        public CancellationToken Lost { get; }

        private void OnLost()
        {
            if (Volatile.Read(ref _disposed) == 0)
                _owner._logger.LogWarning("Node {Node} lost the XMPP component's lock {Lock}: its connection to PostgreSQL failed", _owner.NodeName, _owner.LockName);
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            await _onLost.DisposeAsync().ConfigureAwait(false);
            try
            {
                await _handle.DisposeAsync().ConfigureAwait(false);
                _owner._logger.LogInformation("Node {Node} released the XMPP component's lock {Lock}", _owner.NodeName, _owner.LockName);
            }
            catch (Exception ex)
            {
                // A lost connection has released the lock at the server already.
                _owner._logger.LogDebug(ex, "Releasing the XMPP component's lock {Lock} failed", _owner.LockName);
            }
        }
    }
}
