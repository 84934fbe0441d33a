using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Presence.E2E.Tests;

public sealed class BoardTests(PresenceAppFixture app, ITestOutputHelper output) : IClassFixture<PresenceAppFixture>
{
    [Fact]
    public async Task TheBoardAsksForSignInAndShowsItselfAfterSigningIn()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
            await page.GetByLabel("User name").FillAsync(PresenceAppFixture.AdminUser);
            await page.GetByLabel("Password").FillAsync("wrong password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.Locator(".sign-in-error")).ToContainTextAsync("user name or password is wrong");

            await BrowserSession.SignInAsync(page);

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Presence board" })).ToBeVisibleAsync();
            await Expect(page.Locator(".signed-in-as")).ToHaveTextAsync(PresenceAppFixture.AdminUser);
            await Expect(page.Locator("[data-xmpp-link]")).ToHaveTextAsync("XMPP disabled");
            await Expect(page.Locator(".mud-layout")).ToHaveAttributeAsync("data-theme", "light");
        });
    }

    [Fact]
    public async Task ASpreedPutAppearsWithoutReloadWithinTwoSecondsAndAChosenFilterAndSortSurviveAReload()
    {
        var page = await app.NewPageAsync();
        using var http = app.NewHttpClient();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await page.EvaluateAsync("() => window.__noReload = true");

            using var response = await PresenceApi.SpreedPutAsync(http, "live@example.com", "busy", "weekly call");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

            var row = page.Locator("tr.board-row[data-user='live@example.com']");
            await Expect(row).ToHaveAttributeAsync("data-state", "busy", new() { Timeout = 2_000 });
            await Expect(row.Locator(".protocol[data-protocol='spreed'] .protocol-message")).ToHaveTextAsync("weekly call", new() { Timeout = 2_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page reloaded");
            await BrowserSession.ScreenshotAsync(page, "board-light");

            // The address follows the filter and the sort, so a reload keeps them.
            await page.Locator("[data-count='busy']").ClickAsync();
            await page.Locator("th[data-sort='lastchange'] button").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?state=busy&sort=lastchange&dir=desc$"));
            await page.ReloadAsync();
            await BrowserSession.WaitInteractiveAsync(page);
            await Expect(page.Locator("[data-count='busy']")).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(page.Locator("th[data-sort='lastchange']")).ToHaveAttributeAsync("aria-sort", "descending");
            await Expect(row).ToHaveAttributeAsync("data-state", "busy");
            Assert.All(await page.Locator("tr.board-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.state)"),
                state => Assert.Equal("busy", state));
        });
    }

    [Fact]
    public async Task AChangeFromInsideTheServiceAppearsOnTheBoardWithoutReload()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await page.EvaluateAsync("() => window.__noReload = true");
            var tracker = app.Services.GetRequiredService<PresenceTracker>();

            tracker.Apply(new AnnotationUpdate(UserId.Parse("live@example.com"), Protocols.Spreed, null,
                new StateAnnotation(AnnotationKind.ConnectionPaused, "pubpresence.localhost", "no refresh", tracker.Time.GetUtcNow()), ChangeCause.Expiry));
            tracker.Apply(new ProtocolStatusUpdate(UserId.Parse("inside@example.com"), Protocols.Spreed, PresenceState.Away, "lunch"));

            var row = page.Locator("tr.board-row[data-user='inside@example.com']");
            await Expect(row).ToHaveAttributeAsync("data-state", "away", new() { Timeout = 2_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page reloaded");
        });
    }

    [Fact]
    public async Task SignOutReturnsToTheSignInPage()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        });
    }
}
