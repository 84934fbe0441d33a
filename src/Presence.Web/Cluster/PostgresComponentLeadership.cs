using System.Data;
using Medallion.Threading.Postgres;
using Npgsql;
using Presence.Xmpp.Hosting;
using Presence.Xmpp.Resilience;

namespace Presence.Web.Cluster;

/// <summary>
/// The XMPP component's lease as a PostgreSQL session-level advisory lock (DistributedLock.Postgres) in the service's
/// database: the node whose connection holds the lock runs the component; the others wait for it. The key is derived
/// from the component JID, so two clusters with different components can share a database. The lock's connection is
/// its own (not pooled) and carries the node name as its <c>Application Name</c>, so <c>pg_stat_activity</c> shows
/// which node holds the lock (the session with the granted advisory lock in <c>pg_locks</c>) and which wait.
/// <para>
/// While the lock is held, a keepalive query runs on its connection every <see cref="CheckInterval"/>; one that fails
/// or takes longer than <see cref="CheckTimeout"/> (or the connection closing) means the lock is lost:
/// <see cref="IComponentLease.Lost"/> fires and the connection is closed. Between these queries the session is idle, so
/// PostgreSQL ends it — and releases the lock — as soon as the holder's process dies, and within about 25 s when its
/// machine vanishes without closing the connection (<see cref="ServerKeepaliveOptions"/>); by then a holder cut off
/// from the database has noticed, so two holders never run at once.
/// </para>
/// </summary>
public sealed class PostgresComponentLeadership : IComponentLeadership
{
    /// <summary>Default <see cref="CheckInterval"/>: 2 s.</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>Default <see cref="CheckTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest single wait for the lock before a waiting node opens a new connection and waits again (so a waiter
    /// whose connection silently died does not wait on it for ever): 15 s.
    /// </summary>
    public static readonly TimeSpan WaitRound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Server settings of the lock's session (PostgreSQL <c>tcp_keepalives_*</c>): a silent connection is probed after
    /// 10 s without traffic, every 5 s, and ended after 3 unanswered probes — the lock of a holder whose machine vanished
    /// is released about 25 s later rather than after the operating system's default (often 2 hours).
    /// </summary>
    public const string ServerKeepaliveOptions = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3";

    private readonly PostgresAdvisoryLockKey _key;
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates it; nothing connects until <see cref="AcquireAsync"/>.</summary>
    /// <param name="connectionString">The service's PostgreSQL connection string (<c>ConnectionStrings:Presence</c>).</param>
    /// <param name="componentJid">The component's JID; the lock's name is derived from it (case-insensitively).</param>
    /// <param name="nodeName">This node's name (<c>Presence:Cluster:NodeName</c>), set as the lock connection's <c>Application Name</c>.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="checkInterval">Time between keepalive queries while holding the lock (&gt; 0); <see cref="DefaultCheckInterval"/> when <c>null</c>.</param>
    /// <param name="checkTimeout">Longest a keepalive query may take before the lock counts as lost (≥ 1 s); <see cref="DefaultCheckTimeout"/> when <c>null</c>.</param>
    /// <param name="time">Clock of the keepalive and the retry delays; <see cref="TimeProvider.System"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is not a valid Npgsql connection string, or a name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="checkInterval"/> is not positive or <paramref name="checkTimeout"/> is under 1 s.</exception>
    public PostgresComponentLeadership(string connectionString, string componentJid, string nodeName, ILogger<PostgresComponentLeadership> logger,
        TimeSpan? checkInterval = null, TimeSpan? checkTimeout = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(componentJid);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        CheckInterval = checkInterval ?? DefaultCheckInterval;
        CheckTimeout = checkTimeout ?? DefaultCheckTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckInterval, TimeSpan.Zero, nameof(checkInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckTimeout, TimeSpan.FromSeconds(1), nameof(checkTimeout));
        NodeName = nodeName;
        LockName = "presence:xmpp-component:" + componentJid.ToLowerInvariant();
        _key = new PostgresAdvisoryLockKey(LockName, allowHashing: true);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = nodeName, Pooling = false, Multiplexing = false };
        builder.Options = (builder.Options is { Length: > 0 } given ? given + " " : "") + ServerKeepaliveOptions;
        _connectionString = builder.ConnectionString;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string NodeName { get; }

    /// <inheritdoc />
    /// <remarks>True: the nodes on one PostgreSQL database share presence through its change log.</remarks>
    public bool SharesState => true;

    /// <summary>The lock's name (hashed into the 64-bit advisory lock key): <c>presence:xmpp-component:</c> and the component JID.</summary>
    public string LockName { get; }

    /// <summary>Time between keepalive queries on the holding connection.</summary>
    public TimeSpan CheckInterval { get; }

    /// <summary>Longest a keepalive query may take before the lock counts as lost.</summary>
    public TimeSpan CheckTimeout { get; }

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
            var connection = new NpgsqlConnection(_connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                var handle = await new PostgresDistributedLock(_key, connection).TryAcquireAsync(WaitRound, cancellationToken).ConfigureAwait(false);
                if (handle is not null)
                {
                    _logger.LogInformation("Node {Node} took the XMPP component's lock {Lock}", NodeName, LockName);
                    return new Lease(connection, handle, this);
                }
                await connection.DisposeAsync().ConfigureAwait(false);
                if (!waiting) _logger.LogInformation("Node {Node} waits for the XMPP component's lock {Lock}: another node holds it", NodeName, LockName);
                waiting = true;
                failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception ex)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                var delay = Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), failures++);
                _logger.LogWarning("Node {Node} cannot take the XMPP component's lock in PostgreSQL: {Error}; trying again in {Delay:0.0} s",
                    NodeName, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A held lock: its connection, the library's handle, and the keepalive that notices its loss.</summary>
    private sealed class Lease : IComponentLease
    {
        private readonly NpgsqlConnection _connection;
        private readonly PostgresDistributedLockHandle _handle;
        private readonly PostgresComponentLeadership _owner;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _keepalive;
        private int _disposed;

        public Lease(NpgsqlConnection connection, PostgresDistributedLockHandle handle, PostgresComponentLeadership owner)
        {
            _connection = connection;
            _handle = handle;
            _owner = owner;
            Lost = _lost.Token;
            _connection.StateChange += OnStateChange;
            if (_connection.State != ConnectionState.Open) Lose("the connection closed");
            _keepalive = Task.Run(KeepaliveAsync);
        }

        public CancellationToken Lost { get; }

        private void OnStateChange(object? sender, StateChangeEventArgs e)
        {
            if (e.CurrentState is ConnectionState.Closed or ConnectionState.Broken) Lose("the connection closed");
        }

        private async Task KeepaliveAsync()
        {
            try
            {
                using var timer = new PeriodicTimer(_owner.CheckInterval, _owner._time);
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    deadline.CancelAfter(_owner.CheckTimeout);
                    await using var command = new NpgsqlCommand("SELECT 1", _connection) { CommandTimeout = (int)Math.Ceiling(_owner.CheckTimeout.TotalSeconds) };
                    try
                    {
                        await command.ExecuteScalarAsync(deadline.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        throw new TimeoutException($"a keepalive query took longer than {_owner.CheckTimeout.TotalSeconds:0.#} s");
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                Lose(ex.Message);
            }
        }

        private void Lose(string reason)
        {
            if (Volatile.Read(ref _disposed) != 0 || _lost.IsCancellationRequested) return;
            _owner._logger.LogWarning("Node {Node} lost the XMPP component's lock {Lock}: {Reason}", _owner.NodeName, _owner.LockName, reason);
            _lost.Cancel();
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            await _stop.CancelAsync().ConfigureAwait(false);
            await _keepalive.ConfigureAwait(false);
            _connection.StateChange -= OnStateChange;
            var lost = _lost.IsCancellationRequested;
            try
            {
                if (!lost) await _handle.DisposeAsync().ConfigureAwait(false); // pg_advisory_unlock
            }
            catch (Exception ex)
            {
                _owner._logger.LogDebug(ex, "Unlocking the XMPP component's lock {Lock} failed; closing its connection releases it", _owner.LockName);
            }
            await _connection.DisposeAsync().ConfigureAwait(false); // ends the session: the server releases whatever it still holds
            if (!lost) _owner._logger.LogInformation("Node {Node} released the XMPP component's lock {Lock}", _owner.NodeName, _owner.LockName);
            _stop.Dispose();
        }
    }
}
