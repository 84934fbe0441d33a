using Npgsql;
using Polly;
using Polly.Retry;
using Presence.Web.History;

namespace Presence.Web.Cluster;

/// <summary>
/// Follows the change log on PostgreSQL (docs/ARCHITECTURE.md, "Several nodes"): reads the entries after this node's
/// position in sequence order and applies those of other nodes (<see cref="ChangeLogApplier"/>). LISTEN/NOTIFY on
/// <see cref="ChangeLog.Channel"/> only wakes it up; the read from its position is the truth, so a node whose
/// connection dropped catches up without loss when it reconnects (retried with backoff). Until it has read up to the
/// end of the log once, <see cref="CaughtUp"/> is false and the node is not ready.
/// </summary>
internal sealed class ChangeLogFollower(
    ClusterMode cluster,
    ChangeLogPositions positions,
    ChangeLogApplier applier,
    HistoryWriter writer,
    TimeProvider time,
    ILogger<ChangeLogFollower> logger) : BackgroundService
{
    /// <summary>Entries read per query.</summary>
    internal const int BatchSize = 5000;

    /// <summary>Longest wait for a wake-up before reading anyway (a lost notification costs at most this).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private volatile bool _caughtUp;
    private long _lastHead;

    /// <summary>True once the follower has read up to the end of the log since start.</summary>
    public bool CaughtUp => _caughtUp || cluster.Log is null;

    /// <summary>The newest log sequence seen in the database at the last read.</summary>
    public long Head => Interlocked.Read(ref _lastHead);

    /// <summary>Entries of the log this node has not applied yet, as of the last read.</summary>
    public long Lag => Math.Max(0, Head - positions.Applied);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (cluster.Log is null) return;
        var retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException || !stoppingToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = a =>
                {
                    logger.LogWarning("Following the change log failed ({Error}); reconnecting in {Delay:0} ms from sequence {Sequence}",
                        a.Outcome.Exception?.Message, a.RetryDelay.TotalMilliseconds, positions.Applied);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        try
        {
            await retry.ExecuteAsync(FollowAsync, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Reads what other nodes committed since the state was restored before the host starts serving, so that a node
    /// that is up is also caught up (the background loop then follows the log). A failure here is logged and left to
    /// the background loop, which retries; until it has caught up the node is not ready.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (cluster.Log is not null)
        {
            try
            {
                await using var connection = new NpgsqlConnection(cluster.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var reader = new LogReader(connection);
                await reader.PrepareAsync(cancellationToken);
                while (await ReadAvailableAsync(reader, cancellationToken) == BatchSize) { }
                MarkCaughtUp();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Catching up with the change log at start failed ({Error}); following it in the background", ex.Message);
            }
        }
        await base.StartAsync(cancellationToken);
    }

    private void MarkCaughtUp()
    {
        if (_caughtUp) return;
        _caughtUp = true;
        logger.LogInformation("Caught up with the change log at sequence {Sequence}", positions.Applied);
    }

    private async ValueTask FollowAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand("LISTEN " + ChangeLog.Channel, connection)) await listen.ExecuteNonQueryAsync(cancellationToken);
        await using var reader = new LogReader(connection);
        await reader.PrepareAsync(cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await ReadAvailableAsync(reader, cancellationToken) == BatchSize) continue;
            MarkCaughtUp();
            await connection.WaitAsync(PollInterval, cancellationToken);
        }
    }

    // Applies the entries after this node's position (at most BatchSize); returns how many were read.
    private async Task<int> ReadAvailableAsync(LogReader log, CancellationToken cancellationToken)
    {
        if (!_caughtUp) Interlocked.Exchange(ref _lastHead, (long)(await log.Head.ExecuteScalarAsync(cancellationToken))!);
        log.Read.Parameters[0].Value = positions.Applied;
        var count = 0;
        long last = 0;
        await using (var reader = await log.Read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = ChangeLog.ReadRow(reader);
                applier.Apply(row, () => writer.CommittedSequence);
                positions.Advance(row.Sequence);
                last = row.Sequence;
                count++;
            }
        }
        if (last > Head) Interlocked.Exchange(ref _lastHead, last);
        return count;
    }

    // One connection's prepared statements: the entries after this node's position, and the log's head.
    private sealed class LogReader(NpgsqlConnection connection) : IAsyncDisposable
    {
        public NpgsqlCommand Read { get; } = new(ChangeLog.AfterSql, connection);

        public NpgsqlCommand Head { get; } = new(ChangeLog.MaxSql, connection);

        public async Task PrepareAsync(CancellationToken cancellationToken)
        {
            Read.Parameters.AddWithValue("after", 0L);
            Read.Parameters.AddWithValue("limit", BatchSize);
            await Read.PrepareAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await Read.DisposeAsync();
            await Head.DisposeAsync();
        }
    }
}
