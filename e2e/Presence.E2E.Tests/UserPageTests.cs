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
