using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Presence.E2E.Tests;

public sealed class UserPageTests(PresenceAppFixture app, ITestOutputHelper output) : IClassFixture<PresenceAppFixture>
{
    [Fact]
    public async Task AnUnknownUserPageSaysTheUserIsNotKnown()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);

            await page.GotoAsync("/users/nobody@example.com");

            await Expect(page.Locator("[data-user-problem='unknown']")).ToContainTextAsync("No user nobody@example.com is known");
        });
    }

    [Fact]
    public async Task AnInvalidUserIdSaysWhatIsWrongInsteadOfFailing()
    {
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);

            await page.GotoAsync("/users/no-at-sign");

            await Expect(page.Locator("[data-user-problem='invalid']")).ToContainTextAsync("has no '@'");
        });
    }

    [Fact]
    public async Task TheUserPageShowsTheTransitionsJustMadeInItsHistory()
    {
        using var http = app.NewHttpClient();
        foreach (var (status, message) in new[] { ("available", "morning"), ("busy", "standup"), ("away", "lunch") })
        {
            using var response = await PresenceApi.SpreedPutAsync(http, "history@example.com", status, message);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await page.Locator("tr.board-row[data-user='history@example.com'] td.user a").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/users/history"));
            await BrowserSession.WaitInteractiveAsync(page);

            var spreed = page.Locator(".history-table tr.history-row.protocol-spreed");
            await Expect(spreed).ToHaveCountAsync(3);
            await Expect(spreed.Nth(0)).ToContainTextAsync("lunch");
            await Expect(spreed.Nth(1)).ToContainTextAsync("standup");
            await Expect(spreed.Nth(2)).ToContainTextAsync("morning");
            await Expect(spreed.Nth(0)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("state-away"));
            await Expect(spreed.Nth(0).Locator(".state-badge")).ToHaveTextAsync("Away");
            await Expect(page.Locator(".timeline svg").First).ToBeVisibleAsync();
            await Expect(page.Locator(".timeline")).ToContainTextAsync("spreed");

            using var later = await PresenceApi.SpreedPutAsync(http, "history@example.com", "unavailable", "");
            await Expect(spreed).ToHaveCountAsync(4, new() { Timeout = 2_000 });
            await Expect(page.Locator("[data-last-seen]")).ToContainTextAsync("last seen");
            await BrowserSession.ScreenshotAsync(page, "user-page");
        });
    }

    [Fact]
    public async Task TheUserPageShowsResourcesWithPriorityIpAndHostnameAndFollowsChanges()
    {
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        var user = UserId.Parse("detail@example.com");
        tracker.Apply(new ResourceAvailableUpdate(user, "laptop", XmppShow.Away, 5, "coffee"));
        tracker.Apply(new ResourceDetailsUpdate(user, "laptop", "192.0.2.7", "laptop.example.com"));
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            await page.GotoAsync("/users/detail@example.com");
            await BrowserSession.WaitInteractiveAsync(page);

            var resource = page.Locator(".resources-table tr[data-resource='laptop']");
            await Expect(resource.Locator("td.num")).ToHaveTextAsync("5");
            await Expect(resource.Locator("td.ip")).ToHaveTextAsync("192.0.2.7");
            await Expect(resource.Locator("td.hostname")).ToHaveTextAsync("laptop.example.com");
            await Expect(page.Locator(".user-detail")).ToHaveAttributeAsync("data-state", "away");

            tracker.Apply(new ResourceAvailableUpdate(user, "laptop", XmppShow.Dnd, 5, "presenting"));

            await Expect(page.Locator(".user-detail")).ToHaveAttributeAsync("data-state", "busy", new() { Timeout = 2_000 });
            await Expect(page.Locator(".protocols-table tr[data-protocol='xmpp'] .message")).ToHaveTextAsync("presenting");
        });
    }
}
