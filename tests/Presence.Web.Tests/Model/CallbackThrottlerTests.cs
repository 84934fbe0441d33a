using Microsoft.Extensions.Time.Testing;
using Presence.Web.Model;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests.Model;

public sealed class CallbackThrottlerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void TheFirstRequestRunsAtOnce()
    {
        var time = new FakeTimeProvider();
        var runs = 0;
        using var throttler = new CallbackThrottler(time, Interval, () => { runs++; return Task.CompletedTask; });

        throttler.Request();

        Assert.Equal(1, runs);
    }

    [Fact]
    public void ABurstWithinTheIntervalRunsOnceMoreAtItsEnd()
    {
        var time = new FakeTimeProvider();
        var runs = 0;
        using var throttler = new CallbackThrottler(time, Interval, () => { runs++; return Task.CompletedTask; });
        throttler.Request();

        for (var i = 0; i < 1000; i++)
        {
            throttler.Request();
            time.Advance(TimeSpan.FromTicks(Interval.Ticks / 2000));
        }
        Assert.Equal(1, runs);

        time.Advance(Interval);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void ASteadyStreamRunsOncePerInterval()
    {
        var time = new FakeTimeProvider();
        var runs = 0;
        using var throttler = new CallbackThrottler(time, Interval, () => { runs++; return Task.CompletedTask; });

        // 1,000 requests per second for one second.
        for (var i = 0; i < 1000; i++)
        {
            throttler.Request();
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.InRange(runs, 10, 11);
    }

    [Fact]
    public void ARequestAfterAQuietIntervalRunsAtOnce()
    {
        var time = new FakeTimeProvider();
        var runs = 0;
        using var throttler = new CallbackThrottler(time, Interval, () => { runs++; return Task.CompletedTask; });
        throttler.Request();

        time.Advance(Interval * 3);
        throttler.Request();

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task ARequestWhileTheCallbackRunsRunsItOnceMoreAfterwards()
    {
        var time = new FakeTimeProvider();
        var runs = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var throttler = new CallbackThrottler(time, Interval, async () =>
        {
            if (++runs == 1) await release.Task;
            else second.TrySetResult();
        });
        throttler.Request();
        throttler.Request();
        throttler.Request();
        time.Advance(Interval * 2);
        Assert.Equal(1, runs);

        release.SetResult();
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, runs);
    }

    [Fact]
    public void AFailingCallbackIsReportedAndTheThrottlerKeepsWorking()
    {
        var time = new FakeTimeProvider();
        var errors = new List<Exception>();
        var runs = 0;
        using var throttler = new CallbackThrottler(time, Interval, () => ++runs == 1 ? throw new InvalidOperationException("render failed") : Task.CompletedTask, errors.Add);

        throttler.Request();
        time.Advance(Interval);
        throttler.Request();

        Assert.Equal("render failed", Assert.Single(errors).Message);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void NothingRunsAfterDispose()
    {
        var time = new FakeTimeProvider();
        var runs = 0;
        var throttler = new CallbackThrottler(time, Interval, () => { runs++; return Task.CompletedTask; });
        throttler.Request();
        throttler.Request();

        throttler.Dispose();
        time.Advance(Interval * 2);
        throttler.Request();

        Assert.Equal(1, runs);
    }
}
