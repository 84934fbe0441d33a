namespace Presence.Xmpp.Tests.Integration;

/// <summary>A real XMPP server started for the tests (Prosody or ejabberd) on free loopback ports, domain <c>localhost</c>.</summary>
public interface IXmppTestServer : IAsyncDisposable
{
    /// <summary>The server's domain.</summary>
    public const string Domain = "localhost";

    /// <summary>Client (c2s) port on 127.0.0.1.</summary>
    int C2sPort { get; }

    /// <summary>Component (XEP-0114) port on 127.0.0.1.</summary>
    int ComponentPort { get; }

    /// <summary>The component secret.</summary>
    string Secret { get; }

    /// <summary>The server's log so far (for failure messages).</summary>
    string Log { get; }
}

/// <summary>A class fixture holding one <see cref="IXmppTestServer"/>.</summary>
public interface IXmppServerFixture : IAsyncLifetime
{
    /// <summary>The running server.</summary>
    IXmppTestServer Xmpp { get; }

    /// <summary>Starts a slixmpp client for <paramref name="jid"/> on this server's c2s port.</summary>
    Task<XmppClientProcess> ClientAsync(string jid, string password = ProsodyServer.Password);
}

/// <summary>
/// Starts one private server of type <typeparamref name="TServer"/> for a test class (xunit class fixture) and stops
/// it when the class is done.
/// </summary>
public abstract class XmppServerFixture<TServer> : IXmppServerFixture where TServer : class, IXmppTestServer
{
    private TServer? _server;

    /// <summary>Starts the server (called once, before the class's first test).</summary>
    protected abstract Task<TServer> StartAsync();

    /// <summary>The running server.</summary>
    public TServer Server => _server ?? throw new InvalidOperationException(typeof(TServer).Name + " not started");

    /// <inheritdoc />
    public IXmppTestServer Xmpp => Server;

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <inheritdoc />
    public Task<XmppClientProcess> ClientAsync(string jid, string password = ProsodyServer.Password) =>
        XmppClientProcess.StartAsync(jid, password, Server.C2sPort);
}
