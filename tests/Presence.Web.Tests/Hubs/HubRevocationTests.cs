using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Tokens;
using Presence.Web.Api;
using Presence.Web.Authentication;
using Presence.Web.Hubs;

namespace Presence.Web.Tests.Hubs;

/// <summary>
/// An open hub connection lives no longer than its authentication holds: revoking an API client, or rotating its
/// secret without a grace period, closes the connections opened with its tokens at once (not at the token's expiry);
/// deleting a dashboard account closes the connections opened with its sign-in cookie at the next check; no other
/// connection is touched. Real Kestrel, the .NET SignalR client over WebSockets.
/// </summary>
public sealed class HubRevocationTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly HubApp _app = new(new Dictionary<string, string?> { ["Presence:Hub:CookieScheme"] = "Identity.Application" });
    private readonly ApiClientService _clients;

    public HubRevocationTests() => _clients = _app.Services.GetRequiredService<ApiClientService>();

    public void Dispose() => _app.Dispose();

    private sealed record Open(HubConnection Connection, Task Closed) : IAsyncDisposable
    {
        public Task<List<UserPresenceDto>> SubscribeAsync() => Connection.InvokeAsync<List<UserPresenceDto>>("Subscribe", new[] { "alice@example.com" });

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private async Task<Open> ConnectAsync(string? token, string? cookie = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(_app.HubUrl, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                if (cookie is not null) o.Headers["Cookie"] = cookie;
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

    /// <summary>Signs in through the dashboard's form and returns the browser's cookie header.</summary>
    private async Task<string> SignInCookieAsync(string userName, string password)
    {
        var jar = new System.Net.CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = new Uri(_app.BaseUrl) };
        using var signedIn = await Infrastructure.DashboardForms.SignInAsync(client, userName, password);
        Assert.Equal("/", signedIn.Headers.Location!.ToString());
        return jar.GetCookieHeader(new Uri(_app.BaseUrl));
    }

    [Fact]
    public async Task DeletingAnAccountClosesTheConnectionsOpenedWithItsSignInCookieAndNoOthers()
    {
        var accounts = _app.Services.GetRequiredService<DashboardUserService>();
        var (deleted, deletedPassword) = await accounts.CreateAsync("hub.deleted", admin: false, "admin");
        var (_, keptPassword) = await accounts.CreateAsync("hub.kept", admin: false, "admin");
        await using var gone = await ConnectAsync(token: null, await SignInCookieAsync("hub.deleted", deletedPassword));
        await using var stays = await ConnectAsync(token: null, await SignInCookieAsync("hub.kept", keptPassword));
        var revalidation = _app.Services.GetRequiredService<HubConnectionRevalidation>();
        Assert.Equal(2, revalidation.Count.Sessions);

        await revalidation.RecheckSessionsAsync(); // nothing changed yet
        Assert.Single(await gone.SubscribeAsync());
        await accounts.DeleteAsync(deleted.Id, "admin");
        await revalidation.RecheckSessionsAsync(); // what the service does every minute

        await gone.Closed.WaitAsync(Timeout);
        Assert.Single(await stays.SubscribeAsync());
        Assert.False(stays.Closed.IsCompleted);
    }
}
