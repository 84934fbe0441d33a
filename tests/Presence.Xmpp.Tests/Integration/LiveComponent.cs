using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>
/// The real <see cref="XmppComponent"/> connected to a fixture's Prosody or ejabberd, with its own tracker, an in-memory subscriber
/// store (shared across restarts, as the database would be) and a capturing logger. Short ping/keepalive/backoff times.
/// </summary>
public sealed class LiveComponent : IAsyncDisposable
{
    private CancellationTokenSource? _stop;

    public LiveComponent(IXmppTestServer server, InMemorySubscriberStore? store = null, Action<XmppOptions>? configure = null,
        PresenceTracker? tracker = null, string? secret = null)
    {
        Store = store ?? new InMemorySubscriberStore();
        Tracker = tracker ?? new PresenceTracker(TimeProvider.System);
        Options = new XmppOptions
        {
            Enabled = true,
            Domain = IXmppTestServer.Domain,
            Host = "127.0.0.1",
            Port = server.ComponentPort,
            Secret = secret ?? server.Secret,
            PingInterval = TimeSpan.FromSeconds(30),
            PingTimeout = TimeSpan.FromSeconds(2),
            KeepaliveInterval = TimeSpan.FromSeconds(1),
            KeepaliveTimeout = TimeSpan.FromSeconds(2),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            RepopulationQuietPeriod = TimeSpan.FromMilliseconds(300),
            IqTimeout = TimeSpan.FromSeconds(5),
            ReverseDnsTimeout = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(Options);
        Component = new XmppComponent(Options, Tracker, Store, Logs.CreateFactory());
    }

    public InMemorySubscriberStore Store { get; }
    public PresenceTracker Tracker { get; }
    public XmppOptions Options { get; }
    public XmppComponent Component { get; }
    public CapturingLoggerProvider Logs { get; } = new();
    public Task? Running { get; private set; }

    /// <summary>Runs the component in the background.</summary>
    public LiveComponent Start()
    {
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        Running = Task.Run(() => Component.RunAsync(token));
        return this;
    }

    /// <summary>Starts and waits until the link is online, the node repopulated and the service presence available.</summary>
    public async Task<LiveComponent> StartReadyAsync(TimeSpan? timeout = null)
    {
        Start();
        await WaitReadyAsync(timeout);
        return this;
    }

    /// <summary>Waits until online, repopulated and available (a consumer probing the service would then see it available).</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            await Component.Monitor.WaitUntilAsync(s => s.State == XmppLinkState.Online && !s.Repopulating && Component.Service.Available, cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"component not ready: {Component.Monitor.Current}\n{string.Join("\n", Logs.Lines.TakeLast(30).Select(l => $"{l.Level} {l.Category}: {l.Message}"))}");
        }
    }

    /// <summary>Stops cleanly (closes the stream) and waits for the run loop to end.</summary>
    public async Task StopAsync()
    {
        if (_stop is null || Running is null) return;
        _stop.Cancel();
        await Running.WaitAsync(TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (TimeoutException) { }
        await Component.DisposeAsync();
        _stop?.Dispose();
    }
}
