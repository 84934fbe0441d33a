using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.PubSub;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests;

public sealed class PubSubPublisherTests : IDisposable
{
    // Each test its own node name, so the failures it waits for on the Presence.Xmpp meter are its own.
    private readonly string _nodeName = "pubpresence-" + Guid.NewGuid().ToString("N")[..8];
    private readonly System.Diagnostics.Metrics.MeterListener _meter = new();
    private readonly object _failuresGate = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _failureWaiters = [];
    private long _failuresMeasured;

    public PubSubPublisherTests()
    {
        _node = new("pubsub.localhost", _nodeName, "max");
        _meter.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == XmppMetrics.MeterName && instrument.Name == "presence.pubsub.errors") l.EnableMeasurementEvents(instrument);
        };
        _meter.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is not { Key: "node" } || (string?)tag.Value != _nodeName) continue;
                lock (_failuresGate)
                {
                    _failuresMeasured += value;
                    foreach (var w in _failureWaiters.Where(w => w.Count <= _failuresMeasured)) w.Done.TrySetResult();
                    _failureWaiters.RemoveAll(w => w.Done.Task.IsCompleted);
                }
            }
        });
        _meter.Start();
    }

    public void Dispose() => _meter.Dispose();

    private static readonly UserId Alice = UserId.Parse("alice@localhost");
    private readonly PresenceTracker _tracker = new(TimeProvider.System);
    private readonly PubSubNode _node;
    private readonly FakeRequester _link = new();
    private readonly XmppLinkMonitor _monitor = new();

    private readonly TimerRecordingTimeProvider _time = new();
    private readonly ListLoggerProvider _log = new();

    private PubSubPublisher Publisher(int window = 4) =>
        new(_tracker, _node, window, TimeSpan.FromSeconds(30), _monitor, _log.CreateLogger("PubSubPublisher"), _time);

    /// <summary>Runs a publisher session on the fake link until disposed (cancel, then await its end).</summary>
    private Session Run(PubSubPublisher publisher)
    {
        var cts = new CancellationTokenSource();
        return new Session(publisher.RunSessionAsync(_link, cts.Token), cts);
    }

    private sealed class Session(Task run, CancellationTokenSource cts) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            cts.Cancel();
            await run;
            cts.Dispose();
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> requests have failed (counted on the meter). The retry's wait may be scheduled
    /// just after the count moves: to advance the clock past a retry, await <see cref="TimerRecordingTimeProvider.NextTimerAsync"/>.
    /// </summary>
    private Task FailureCountAsync(PubSubPublisher publisher, long count)
    {
        _ = publisher;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_failuresGate)
        {
            if (_failuresMeasured >= count) return Task.CompletedTask;
            _failureWaiters.Add((count, done));
        }
        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Waits for the next retry's timer, checks its delay is within [d/2, d] (jitter), and that the retry is sent exactly
    /// when the delay has passed: nothing 1 ms before, one more request at it.
    /// </summary>
    private async Task RetryAfterAsync(TimeSpan d)
    {
        var before = _link.Sent.Count;
        var delay = await _time.NextTimerAsync();
        Assert.InRange(delay, d / 2, d);
        _time.Advance(delay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(before, _link.Sent.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _link.WaitSentAsync(sent => sent.Count == before + 1);
    }

    private Task NodeItemsAsync(int count) => _monitor.WaitUntilAsync(s => s.NodeItems == count, ComponentHarness.Timeout());

    private static UserItem? PublishedItem(System.Xml.Linq.XElement payload) =>
        payload.Descendants(Namespaces.PubSub + "publish").Any() ? UserItem.Parse(payload.Descendants(Namespaces.PubSub + "item").Single()) : null;

    private static bool IsRetract(System.Xml.Linq.XElement payload, string id) =>
        payload.Element(Namespaces.PubSub + "retract") is { } r && (string?)r.Attribute("notify") == "true" && (string?)r.Element(Namespaces.PubSub + "item")!.Attribute("id") == id;

    [Fact]
    public async Task ABurstOfChangesForOneUserIsCoalescedIntoTheLatestState()
    {
        var publisher = Publisher(window: 1);
        await using var session = Run(publisher);
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, "first"));
        await _link.WaitOutstandingAsync(1); // the first publish is in flight
        for (var i = 0; i < 1000; i++) _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Away, 0, "burst " + i));
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Dnd, 0, "last"));
        _link.AutoAnswer = true;
        _link.AnswerAll();
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        var items = _link.Sent.Select(PublishedItem).ToList();
        // "first", then the latest state; at most one intermediate state if the answer came while the burst was being read
        Assert.InRange(items.Count, 2, 3);
        Assert.Equal("first", items[0]!.Message);
        Assert.Equal("dnd", items[^1]!.Status);
        Assert.Equal("last", items[^1]!.Message);
        Assert.Equal(1, publisher.NodeItems);
    }

    [Fact]
    public async Task OutstandingPublishesNeverExceedTheWindow()
    {
        var publisher = Publisher(window: 8);
        await using var session = Run(publisher);
        for (var i = 0; i < 100; i++) _tracker.Apply(new ResourceAvailableUpdate(UserId.Parse($"u{i}@localhost"), "r", XmppShow.Online, 0, ""));
        var answered = 0;
        while (answered < 100)
        {
            await _link.WaitOutstandingAsync(Math.Min(8, 100 - answered));
            answered += _link.AnswerAll();
        }
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        Assert.Equal(8, _link.MaxOutstanding);
        Assert.Equal(100, publisher.NodeItems);
    }

    [Fact]
    public async Task AUserGoingUnavailableIsRetractedWithNotify()
    {
        _link.AutoAnswer = true;
        var publisher = Publisher();
        await using var session = Run(publisher);
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        await NodeItemsAsync(1);
        _tracker.Apply(new ResourceUnavailableUpdate(Alice, "r"));
        await NodeItemsAsync(0);
        Assert.Contains(_link.Sent, p => IsRetract(p, "alice@localhost"));
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        Assert.Equal(0, publisher.TrackedUsers); // retracted with nothing newer: forgotten
    }

    [Fact]
    public async Task AnUnchangedItemIsNotPublishedAgain()
    {
        _link.AutoAnswer = true;
        var publisher = Publisher();
        await using var session = Run(publisher);
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "laptop", XmppShow.Online, 10, ""));
        await NodeItemsAsync(1);
        // a lower-priority resource appears: the winner (and so the item) stays the same
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "phone", XmppShow.Away, 1, ""));
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "laptop", XmppShow.Chat, 10, ""));
        await _link.WaitSentAsync(sent => sent.Count == 2);
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        Assert.Equal(2, _link.Sent.Count);
    }

    [Fact]
    public async Task AnAnnotatedStatusIsPublishedWithTheStateAnnotationInsideUser()
    {
        _link.AutoAnswer = true;
        var publisher = Publisher();
        await using var session = Run(publisher);
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        new Psa.PresenceAnnotator(_tracker, "pubpresence.localhost").AnnotateAll("link lost", ChangeCause.LinkLoss);
        await _link.WaitSentAsync(sent => sent.Count(p => PublishedItem(p)?.Annotation is not null) == 1);
        var last = _link.Sent.Last();
        var annotation = last.Descendants(UserItem.UserName).Single().Element(Namespaces.Psa + "state-annotation");
        Assert.Equal("pubpresence.localhost", (string?)annotation!.Attribute("from"));
        Assert.NotNull(annotation.Element(Namespaces.Psa + "server-unavailable"));
    }

    [Fact]
    public async Task ANewSessionRepublishesEveryOnlineUserFromTheSnapshot()
    {
        _link.AutoAnswer = true;
        var publisher = Publisher();
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        _tracker.Apply(new ResourceAvailableUpdate(UserId.Parse("bob@localhost"), "r", XmppShow.Xa, 0, ""));
        _tracker.Apply(new ProtocolStatusUpdate(UserId.Parse("carol@localhost"), Protocols.Spreed, PresenceState.Busy, ""));
        for (var i = 0; i < 2; i++)
        {
            await using var session = Run(publisher);
            await NodeItemsAsync(2);
        }
        Assert.Equal(4, _link.Sent.Count); // alice and bob twice; carol has no XMPP presence
    }

    [Fact]
    public async Task APublishAnsweredWithAnErrorIsRetriedAfterADoublingJitteredBackoffNotInALoop()
    {
        _link.AutoAnswer = true;
        _link.Responder = (_, to) => FakeRequester.Error(to, "forbidden", "auth");
        var publisher = Publisher();
        await using var session = Run(publisher);
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        Assert.Single(_link.Sent);

        // a change while the user waits for its retry does not bypass the backoff
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Away, 0, ""));
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        Assert.Single(_link.Sent);

        // Each delay d is drawn from [d/2, d]: the first retry comes between 0.5 s and 1 s, with the latest state.
        await RetryAfterAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("away", PublishedItem(_link.Sent.Last())!.Status);
        await RetryAfterAsync(TimeSpan.FromSeconds(2)); // the next delay doubles
        await FailureCountAsync(publisher, 3);

        Assert.Single(_log.Lines, l => l.Contains("Warning") && l.Contains("forbidden"));
        Assert.Equal(3, publisher.Counters.Failures);
        Assert.Equal(0, publisher.NodeItems);
    }

    [Fact]
    public async Task ThePublishBackoffIsCappedAtSixtySecondsAndASuccessPublishesTheUser()
    {
        _link.AutoAnswer = true;
        _link.Responder = (_, to) => FakeRequester.Error(to, "internal-server-error", "wait");
        var publisher = Publisher();
        await using var session = Run(publisher);
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        foreach (var seconds in new[] { 1, 2, 4, 8, 16, 32, 60, 60 }) await RetryAfterAsync(TimeSpan.FromSeconds(seconds));
        await _time.NextTimerAsync();
        _link.Responder = null;
        _time.Advance(TimeSpan.FromSeconds(60));
        await NodeItemsAsync(1);
    }

    [Fact]
    public async Task APublishThatTimesOutIsRetriedAfterTheBackoff()
    {
        _link.AutoAnswer = true;
        _link.Responder = (_, to) => throw new XmppIqTimeoutException("1", to, TimeSpan.FromSeconds(30));
        var publisher = Publisher();
        await using var session = Run(publisher);
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        Assert.Single(_link.Sent);
        await FailureCountAsync(publisher, 1);
        _link.Responder = null;
        _time.Advance(await _time.NextTimerAsync());
        await NodeItemsAsync(1);
        Assert.Equal(2, _link.Sent.Count);
    }

    [Fact]
    public async Task ARetractAnsweredItemNotFoundCountsAsDone()
    {
        _link.AutoAnswer = true;
        _link.Responder = (payload, to) => IsRetract(payload, "alice@localhost")
            ? FakeRequester.Error(to, "item-not-found")
            : new IqStanza(new System.Xml.Linq.XElement(Namespaces.Component + "iq", new System.Xml.Linq.XAttribute("type", "result"), new System.Xml.Linq.XAttribute("from", to)));
        var publisher = Publisher();
        await using var session = Run(publisher);
        _tracker.Apply(new ResourceAvailableUpdate(Alice, "r", XmppShow.Online, 0, ""));
        await NodeItemsAsync(1);
        _tracker.Apply(new ResourceUnavailableUpdate(Alice, "r"));
        await NodeItemsAsync(0);
        await publisher.WaitIdleAsync(ComponentHarness.Timeout());
        Assert.Equal((1L, 1L, 0L), (publisher.Counters.Publishes, publisher.Counters.Retracts, publisher.Counters.Failures));
        Assert.Equal(0, publisher.TrackedUsers);
        _time.Advance(TimeSpan.FromMinutes(10)); // no retry is pending: nothing more is sent
        Assert.Equal(2, _link.Sent.Count);
    }
}

/// <summary>The publisher's instruments on the <c>Presence.Xmpp</c> meter (measurements of this test's own node only).</summary>
public sealed class PubSubMetricsTests
{
    [Fact]
    public async Task PublishesAcknowledgementsErrorsAndCoalescedStatesAreCountedOnThePresenceXmppMeter()
    {
        var measured = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var errorCounted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var coalescedCounted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == XmppMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        const string node = "metrics-test-node";
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var ours = false;
            foreach (var tag in tags) ours |= tag is { Key: "node", Value: node };
            if (!ours) return;
            measured.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
            if (instrument.Name == "presence.pubsub.errors") errorCounted.TrySetResult();
            if (instrument.Name == "presence.pubsub.coalesced") coalescedCounted.TrySetResult();
        });
        listener.Start();
        var tracker = new PresenceTracker(TimeProvider.System);
        var link = new FakeRequester();
        var publisher = new PubSubPublisher(tracker, new PubSubNode("pubsub.localhost", node, "max"), 1, TimeSpan.FromSeconds(30), new XmppLinkMonitor(), NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = publisher.RunSessionAsync(link, cts.Token);

        tracker.Apply(new ResourceAvailableUpdate(UserId.Parse("bob@localhost"), "r", XmppShow.Online, 0, ""));
        await link.WaitOutstandingAsync(1); // bob's publish fills the window of 1
        tracker.Apply(new ResourceAvailableUpdate(UserId.Parse("alice@localhost"), "r", XmppShow.Online, 0, "first"));
        tracker.Apply(new ResourceAvailableUpdate(UserId.Parse("alice@localhost"), "r", XmppShow.Away, 0, "second")); // replaces "first", unsent
        await coalescedCounted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        link.Responder = (payload, to) => payload.ToString().Contains("alice@localhost") ? FakeRequester.Error(to, "internal-server-error") : new IqStanza(
            new System.Xml.Linq.XElement(Namespaces.Component + "iq", new System.Xml.Linq.XAttribute("type", "result"), new System.Xml.Linq.XAttribute("from", to)));
        link.AutoAnswer = true;
        link.AnswerAll(); // bob acknowledged; alice's publish goes out and is refused
        await errorCounted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        await run;

        Assert.Equal(2, measured.GetValueOrDefault("presence.pubsub.publishes"));
        Assert.Equal(1, measured.GetValueOrDefault("presence.pubsub.acknowledgements"));
        Assert.Equal(1, measured.GetValueOrDefault("presence.pubsub.errors"));
        Assert.Equal(1, measured.GetValueOrDefault("presence.pubsub.coalesced"));
    }
}
