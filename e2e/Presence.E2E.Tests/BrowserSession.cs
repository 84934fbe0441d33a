using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Presence.E2E.Tests;

/// <summary>Browser steps shared by the tests, and screenshots into <c>e2e/output/</c>.</summary>
public static class BrowserSession
{
    /// <summary>Where screenshots go: <c>e2e/output/</c> of the source tree (git-ignored), else the test output folder.</summary>
    public static string OutputDirectory { get; } = FindOutputDirectory();

    public static async Task SignInAsync(IPage page, string user = PresenceAppFixture.AdminUser, string password = PresenceAppFixture.AdminPassword)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WaitInteractiveAsync(page);
    }

    /// <summary>Waits until the circuit is up: the layout renders data-interactive="true" from RendererInfo.IsInteractive.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 20_000 });

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(OutputDirectory);
        var path = Path.Combine(OutputDirectory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Runs a test body; on failure saves a screenshot named after the test, then rethrows.</summary>
    public static async Task RunAsync(IPage page, ITestOutputHelper output, Func<Task> body, [CallerMemberName] string test = "")
    {
        try
        {
            await body();
        }
        catch
        {
            try
            {
                var path = await ScreenshotAsync(page, "failed-" + test);
                output.WriteLine("Screenshot of the failure: " + path);
            }
            catch (PlaywrightException ex)
            {
                output.WriteLine("No screenshot: " + ex.Message);
            }
            throw;
        }
    }

    private static string FindOutputDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Presence.sln"))) return Path.Combine(dir.FullName, "e2e", "output");
        }
        return Path.Combine(AppContext.BaseDirectory, "output");
    }
}
