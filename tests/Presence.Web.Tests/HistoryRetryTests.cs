using Microsoft.Extensions.Time.Testing;
using Presence.Web.History;

namespace Presence.Web.Tests;

/// <summary>The history writer's commit retry (Polly.Core) on a fake clock.</summary>
public sealed class HistoryRetryTests
{
    // Runs an operation that fails `failures` times, then succeeds; every attempt releases `attempted`.
    private sealed class FlakyCommit(int failures)
    {
        public int Attempts;
        public readonly SemaphoreSlim Attempted = new(0);

        public ValueTask RunAsync(CancellationToken _)
        {
            var n = Interlocked.Increment(ref Attempts);
            Attempted.Release();
            return n <= failures ? ValueTask.FromException(new IOException("database or disk is full")) : ValueTask.CompletedTask;
        }
    }

    private static async Task NextAttemptAsync(FlakyCommit commit) =>
        Assert.True(await commit.Attempted.WaitAsync(TimeSpan.FromSeconds(10)), "the next attempt did not come");

    [Fact]
    public async Task EachRetryWaitsExactlyItsBackoffWhichGrowsToTenSecondsAndNoFurther()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var retried = new SemaphoreSlim(0);
        var pipeline = HistoryRetry.Create(time, (_, d) => { lock (delays) delays.Add(d); retried.Release(); return ValueTask.CompletedTask; });
        var commit = new FlakyCommit(failures: 20);

        var run = pipeline.ExecuteAsync(commit.RunAsync, CancellationToken.None).AsTask();
        await NextAttemptAsync(commit);
        for (var i = 0; i < 20; i++)
        {
            // The attempt fails first, then the pipeline reports its delay: wait for the report, not just the attempt.
            Assert.True(await retried.WaitAsync(TimeSpan.FromSeconds(10)), $"no delay reported after attempt {i + 1}");
            TimeSpan delay;
            lock (delays) delay = delays[i];
            var early = delay - TimeSpan.FromMilliseconds(1);
            if (early > TimeSpan.Zero) time.Advance(early);
            Assert.Equal(i + 1, commit.Attempts); // not a millisecond early
            time.Advance(delay - (early > TimeSpan.Zero ? early : TimeSpan.Zero));
            await NextAttemptAsync(commit);
        }
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(21, commit.Attempts);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, HistoryRetry.MaxDelay));
        Assert.InRange(delays[0], HistoryRetry.FirstDelay / 2, HistoryRetry.FirstDelay);
        Assert.All(delays.TakeLast(5), d => Assert.InRange(d, HistoryRetry.MaxDelay / 2, HistoryRetry.MaxDelay)); // grown to the cap, jittered below it
    }

    [Fact]
    public async Task AfterASuccessTheNextFailureStartsAgainFromTheShortestDelay()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var pipeline = HistoryRetry.Create(time, (_, d) => { lock (delays) delays.Add(d); return ValueTask.CompletedTask; });
        var outage = new FlakyCommit(failures: 15);
        var run = pipeline.ExecuteAsync(outage.RunAsync, CancellationToken.None).AsTask();
        await NextAttemptAsync(outage);
        while (!run.IsCompleted)
        {
            time.Advance(HistoryRetry.MaxDelay);
            await Task.WhenAny(run, outage.Attempted.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        await run;
        Assert.InRange(delays[^1], HistoryRetry.MaxDelay / 2, HistoryRetry.MaxDelay);

        var next = new FlakyCommit(failures: 1);
        var second = pipeline.ExecuteAsync(next.RunAsync, CancellationToken.None).AsTask();
        await NextAttemptAsync(next);

        Assert.Equal(16, delays.Count);
        Assert.True(delays[^1] < TimeSpan.FromSeconds(2), $"the first delay after a success was {delays[^1]}, not reset");
        time.Advance(delays[^1]);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, next.Attempts);
    }

    [Fact]
    public async Task StoppingDuringABackoffEndsTheRetryWithNoFurtherAttempt()
    {
        var time = new FakeTimeProvider();
        var pipeline = HistoryRetry.Create(time, (_, _) => ValueTask.CompletedTask);
        var commit = new FlakyCommit(failures: int.MaxValue);
        using var stopping = new CancellationTokenSource();
        var run = pipeline.ExecuteAsync(commit.RunAsync, stopping.Token).AsTask();
        await NextAttemptAsync(commit);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, commit.Attempts);
    }
}

/// <summary>How a failed commit's cause is named to callers and operators.</summary>
public sealed class DatabaseOutageCauseTests
{
    [Fact]
    public async Task AWriteToAReadOnlySqliteDatabaseIsNamedReadOnly()
    {
        using var db = Infrastructure.TempDatabase.Sqlite();
        var path = db.ConnectionString["Data Source=".Length..];
        await using (var create = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await create.OpenAsync();
            await using var cmd = create.CreateCommand();
            cmd.CommandText = "CREATE TABLE t (x INTEGER)";
            await cmd.ExecuteNonQueryAsync();
        }
        await using var readOnly = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await readOnly.OpenAsync();
        await using var insert = readOnly.CreateCommand();
        insert.CommandText = "INSERT INTO t VALUES (1)";

        var ex = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => insert.ExecuteNonQueryAsync());

        Assert.Equal("the database file is read-only", DatabaseOutage.Describe(ex));
        Assert.Equal("the database file is read-only", DatabaseOutage.Describe(new InvalidOperationException("wrapped", ex)));
    }
}
