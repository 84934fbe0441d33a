using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Presence.E2E.Tests;

/// <summary>The board as people use it all day: the theme they prefer, and search, filter and sort from the keyboard alone.</summary>
public sealed class DashboardUiTests(PresenceAppFixture app, ITestOutputHelper output) : IClassFixture<PresenceAppFixture>
{
    private async Task SeedAsync()
    {
        using var http = app.NewHttpClient();
        foreach (var (user, status, message) in new[]
                 {
                     ("anna@example.com", "available", "at my desk"), ("ben@example.com", "busy", "weekly call"),
                     ("cleo@example.com", "away", "lunch"), ("dan@example.com", "unavailable", ""),
                 })
        {
            using var response = await PresenceApi.SpreedPutAsync(http, user, status, message);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task TheBoardFollowsADarkBrowserAndRemembersTheThemePickedWithTheToggle()
    {
        await SeedAsync();
        var page = await app.NewPageAsync(ColorScheme.Dark);
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            var layout = page.Locator(".mud-layout");
            await Expect(layout).ToHaveAttributeAsync("data-theme", "dark");
            await Expect(page.Locator("tr.board-row[data-user='ben@example.com']")).ToBeVisibleAsync();
            await BrowserSession.ScreenshotAsync(page, "board-dark");

            await page.GetByRole(AriaRole.Button, new() { Name = "Switch to the light theme" }).ClickAsync();
            await Expect(layout).ToHaveAttributeAsync("data-theme", "light");

            await page.ReloadAsync();
            await BrowserSession.WaitInteractiveAsync(page);
            await Expect(layout).ToHaveAttributeAsync("data-theme", "light");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to the dark theme" })).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task SearchFilterAndSortWorkFromTheKeyboardAlone()
    {
        await SeedAsync();
        var page = await app.NewPageAsync();
        await BrowserSession.RunAsync(page, output, async () =>
        {
            await BrowserSession.SignInAsync(page);
            var rows = page.Locator("tr.board-row");
            await Expect(page.Locator("tr.board-row[data-user='dan@example.com']")).ToBeVisibleAsync();

            await page.GetByLabel("Search").FocusAsync();
            await page.Keyboard.TypeAsync("lunch");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.First).ToHaveAttributeAsync("data-user", "cleo@example.com");
            await page.Keyboard.PressAsync("Control+A");
            await page.Keyboard.PressAsync("Backspace");
            await Expect(page.Locator("tr.board-row[data-user='anna@example.com']")).ToBeVisibleAsync();

            await TabToAsync(page, "[data-count='busy']");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("[data-count='busy']")).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.First).ToHaveAttributeAsync("data-user", "ben@example.com");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("[data-count='busy']")).ToHaveAttributeAsync("aria-pressed", "false");

            await TabToAsync(page, "th[data-sort='state'] button");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("th[data-sort='state']")).ToHaveAttributeAsync("aria-sort", "ascending");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("th[data-sort='state']")).ToHaveAttributeAsync("aria-sort", "descending");
            await Expect(page.Locator("tr.board-row[data-user='dan@example.com']")).ToBeVisibleAsync();
            Assert.Equal("dan@example.com", await page.Locator("tr.board-row").Nth(0).GetAttributeAsync("data-user"));
        });
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus (at most 60 times).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement !== null && document.activeElement.matches(s)", selector)) return;
        }
        throw new Xunit.Sdk.XunitException($"Tab never reached {selector}; focus is on {await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML ?? 'nothing'")}");
    }
}
