using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Tokens;
using Presence.Web.Api;
using Presence.Web.Authentication;

namespace Presence.Web.Tests.Hubs;

/// <summary>
/// An open hub connection lives no longer than its API token is accepted: revoking the client, or rotating its secret
/// without a grace period, closes the connections opened with its tokens at once (not at the token's expiry), and no
/// other connection. Real Kestrel, the .NET SignalR client over WebSockets.
/// </summary>
public sealed class HubRevocationTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly HubApp _app = new();
    private readonly ApiClientService _clients;

    public HubRevocationTests() => _clients = _app.Services.GetRequiredService<ApiClientService>();

    public void Dispose() => _app.Dispose();

    private sealed record Open(HubConnection Connection, Task Closed) : IAsyncDisposable
    {
        public Task<List<UserPresenceDto>> SubscribeAsync() => Connection.InvokeAsync<List<UserPresenceDto>>("Subscribe", new[] { "alice@example.com" });

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private async Task<Open> ConnectAsync(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(_app.HubUrl, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await connection.StartAsync();
        var open = new Open(connection, closed.Task);
        Assert.Single(await open.SubscribeAsync());
        return open;
    }

    private static string Token(ApiClientSecret client) => PresenceToken.Create(client.Secret, "alice@example.com", DateTimeOffset.UtcNow);

    [Fact]
    public async Task RevokingAClientClosesItsOpenConnectionsAtOnceAndNoOthers()
    {
        var revoked = await _clients.CreateAsync("revoked-client", ApiScopes.Read, null, "admin");
        var kept = await _clients.CreateAsync("kept-client", ApiScopes.Read, null, "admin");
        await using var first = await ConnectAsync(Token(revoked));
        await using var second = await ConnectAsync(Token(revoked));
        await using var other = await ConnectAsync(Token(kept));
        await using var legacy = await ConnectAsync(HubApp.TokenFor("alice@example.com"));

        await _clients.RevokeAsync(revoked.Client.Id, "admin");

        await first.Closed.WaitAsync(Timeout);
        await second.Closed.WaitAsync(Timeout);
        Assert.Single(await other.SubscribeAsync());
        Assert.Single(await legacy.SubscribeAsync());
        Assert.False(other.Closed.IsCompleted || legacy.Closed.IsCompleted);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(Token(revoked)));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task RotatingWithAGracePeriodKeepsConnectionsOnThePreviousSecretAndRotatingWithoutOneClosesThem()
    {
        var client = await _clients.CreateAsync("rotated-client", ApiScopes.Read, null, "admin");
        await using var onFirstSecret = await ConnectAsync(Token(client));

        var second = await _clients.RotateAsync(client.Client.Id, TimeSpan.FromHours(1), "admin");
        Assert.Single(await onFirstSecret.SubscribeAsync()); // the previous secret is still accepted
        await using var onSecondSecret = await ConnectAsync(Token(second));

        await _clients.RotateAsync(client.Client.Id, TimeSpan.Zero, "admin");

        await onFirstSecret.Closed.WaitAsync(Timeout);
        await onSecondSecret.Closed.WaitAsync(Timeout);
    }
}
