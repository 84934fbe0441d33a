using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Presence.E2E.Tests;

/// <summary>The service behind a TCP relay (<see cref="TcpProxy"/>) that a test can cut and restore.</summary>
public sealed class ProxiedAppFixture : PresenceAppFixture
{
    public TcpProxy Proxy { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Proxy = new TcpProxy(new Uri(BaseUrl).Port);
        BaseUrl = $"http://127.0.0.1:{Proxy.Port}/";
    }

    public override async Task DisposeAsync()
    {
        if (Proxy is not null) await Proxy.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class ReconnectTests(ProxiedAppFixture app, ITestOutputHelper output) : IClassFixture<ProxiedAppFixture>
{
    [Fact]
    public async Task WhenTheServerGoesAwayTheReconnectDialogSaysSoAndTheBoardRecoversWhenItIsBack()
    {
        var page = await app.NewPageAsync();
        using var http = app.NewHttpClient();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await page.EvaluateAsync("() => window.__noReload = true");
            var modal = page.Locator("#components-reconnect-modal");
            await Expect(modal).ToBeHiddenAsync();

            await app.Proxy.BreakAsync();

            await Expect(modal).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(modal).ToContainTextAsync("Connection to the server lost");
            await BrowserSession.ScreenshotAsync(page, "reconnect");

            app.Proxy.Restore();

            await Expect(modal).ToBeHiddenAsync(new() { Timeout = 30_000 });
            using var response = await PresenceApi.SpreedPutAsync(http, "after-reconnect@example.com", "busy", "back online");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            await Expect(page.Locator("tr.board-row[data-user='after-reconnect@example.com']")).ToHaveAttributeAsync("data-state", "busy", new() { Timeout = 5_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page reloaded instead of rejoining");
        });
    }
}
