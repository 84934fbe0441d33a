using System.Xml.Linq;
using Presence.Domain.Tracking;
using Presence.Xmpp.AdHoc;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Tests.Support;

/// <summary>A component connected to a <see cref="ScriptedComponentServer"/>, with an in-memory tracker and subscriber store.</summary>
public sealed class ComponentHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public ComponentHarness(string secret = "s3cr3t", string? serverSecret = null, Action<XmppOptions>? configure = null, PresenceTracker? tracker = null, params string[] subscribers)
    {
        Server = new ScriptedComponentServer(serverSecret ?? secret);
        Store = new InMemorySubscriberStore(subscribers);
        Tracker = tracker ?? new PresenceTracker(TimeProvider.System);
        Options = new XmppOptions
        {
            Enabled = true,
            Domain = "localhost",
            Port = Server.Port,
            Secret = secret,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
            RepopulationQuietPeriod = TimeSpan.FromMilliseconds(150),
            KeepaliveInterval = TimeSpan.FromSeconds(30),
            SessionDetails = false,
        };
        configure?.Invoke(Options);
        Component = new XmppComponent(Options, Tracker, Store, reverseDns: new FakeReverseDns());
    }

    public ScriptedComponentServer Server { get; }
    public InMemorySubscriberStore Store { get; }
    public PresenceTracker Tracker { get; }
    public XmppOptions Options { get; }
    public XmppComponent Component { get; }
    public Task? Running { get; private set; }

    public ComponentHarness Start()
    {
        Running = Task.Run(() => Component.RunAsync(_stop.Token));
        return this;
    }

    /// <summary>Waits until the link is online and the node repopulated.</summary>
    public Task<XmppLinkSnapshot> WaitReadyAsync() =>
        Component.Monitor.WaitUntilAsync(s => s.State == XmppLinkState.Online && !s.Repopulating && Component.Service.Available, Timeout());

    public static CancellationToken Timeout(int seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public Task SendPresenceAsync(string from, string? type = null, string? show = null, string? status = null, int? priority = null, string to = "pubpresence.localhost")
    {
        var e = new XElement(Namespaces.Component + "presence", new XAttribute("from", from), new XAttribute("to", to));
        if (type is not null) e.SetAttributeValue("type", type);
        if (show is not null) e.Add(new XElement(Namespaces.Component + "show", show));
        if (status is not null) e.Add(new XElement(Namespaces.Component + "status", status));
        if (priority is not null) e.Add(new XElement(Namespaces.Component + "priority", priority));
        return Server.SendAsync(e);
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        if (Running is not null) await Running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); } catch { }
        await Server.DisposeAsync();
    }
}

public sealed class FakeReverseDns : IReverseDnsResolver
{
    public Task<string?> LookupAsync(string ip, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(ip == "127.0.0.1" ? "localhost" : null);
}
