using System.Net;
using System.Net.Sockets;

namespace Presence.E2E.Tests;

/// <summary>
/// A loopback TCP relay between the browser and the service, so a test can take the server away from the page (close
/// every connection and refuse new ones) and bring it back on the same port, as a network cut or a restart would.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    public TcpProxy(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        Port = Listen(0);
    }

    /// <summary>The port the browser connects to.</summary>
    public int Port { get; }

    /// <summary>Closes every relayed connection and stops accepting: the server is gone for the browser.</summary>
    public async Task BreakAsync()
    {
        _stop.Cancel();
        _listener?.Stop();
        lock (_connections)
        {
            foreach (var c in _connections) c.Dispose();
            _connections.Clear();
        }
        try { await _accepting; } catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    /// <summary>Accepts connections again on the same port.</summary>
    public void Restore()
    {
        _stop = new CancellationTokenSource();
        Listen(Port);
    }

    private int Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _accepting = AcceptAsync(listener, _stop.Token);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_target, cancellationToken);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            lock (_connections)
            {
                _connections.Add(client);
                _connections.Add(server);
            }
            _ = RelayAsync(client, server);
            _ = RelayAsync(server, client);
        }
    }

    private static async Task RelayAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await BreakAsync();
}
