using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Presence.Web.Authentication;
using Presence.Web.Components.Pages.Admin;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests.Components;

/// <summary>The accounts page with its dialogs, on the real service's account store (SQLite, Identity).</summary>
public sealed class AccountsPageTests : AdminPageContext, IClassFixture<AppFixture>
{
    public AccountsPageTests(AppFixture app) : base(s => s.AddSingleton(app.Services.GetRequiredService<DashboardUserService>()))
    {
    }

    private static void Open(IRenderedComponent<Accounts> page, string text, string? account = null) =>
        AdminPageContext.Open(page, text, account is null ? null : $"tr[data-account='{account}']");

    private async Task<IRenderedComponent<Accounts>> CreateAsync(string userName, bool admin = false)
    {
        var page = Ctx.Render<Accounts>();
        Open(page, "New account");
        await Dialogs.WaitForElement("[data-create-user] input[name='userName']").ChangeAsync(new ChangeEventArgs { Value = userName });
        if (admin)
        {
            var box = Dialogs.FindAll("label").First(l => l.TextContent.Trim().StartsWith("Admin")).QuerySelector("input[type='checkbox']")!;
            await box.ChangeAsync(new ChangeEventArgs { Value = true });
        }
        await ClickAsync(Dialogs, "Create account");
        return page;
    }

    [Fact]
    public async Task CreatingAnAccountShowsItsOneTimePasswordOnceAndListsItAsAViewer()
    {
        var page = await CreateAsync("olga.viewer");

        Dialogs.WaitForAssertion(() => Assert.Equal(20, Dialogs.Find("[data-secret]").TextContent.Trim().Length));
        Assert.Contains("must be changed at the first sign-in", Dialogs.Markup);
        page.WaitForAssertion(() => Assert.Equal("viewer", page.Find("tr[data-account='olga.viewer']").GetAttribute("data-role")));
        Assert.Contains("one-time, not changed yet", page.Find("tr[data-account='olga.viewer']").TextContent);

        await ClickAsync(Dialogs, "Done");

        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-secret]")));
        Assert.Empty(page.FindAll("[data-secret]"));
    }

    [Fact]
    public async Task AnAdminAccountIsListedAsAdmin()
    {
        var page = await CreateAsync("otto.admin", admin: true);
        Dialogs.WaitForElement("[data-secret]");
        await ClickAsync(Dialogs, "Done");

        page.WaitForAssertion(() => Assert.Equal("admin", page.Find("tr[data-account='otto.admin']").GetAttribute("data-role")));
    }

    [Fact]
    public async Task ATakenNameKeepsTheDialogOpenWithTheReason()
    {
        var page = await CreateAsync("admin");

        Dialogs.WaitForAssertion(() => Assert.Contains("An account named 'admin' already exists.", Dialogs.Find("[data-admin-error]").TextContent));
        Assert.Empty(Dialogs.FindAll("[data-secret]"));
        Assert.Single(page.FindAll("tr[data-account='admin']"));
    }

    [Fact]
    public void OnesOwnAccountHasNoDeleteButton()
    {
        var page = Ctx.Render<Accounts>();

        var own = page.WaitForElement("tr[data-account='admin']");

        Assert.DoesNotContain(own.QuerySelectorAll("button"), b => b.TextContent.Trim() == "Delete");
        Assert.Contains(own.QuerySelectorAll("button"), b => b.TextContent.Trim() == "Reset password");
    }

    [Fact]
    public async Task DeleteAsksForConfirmationCancellingKeepsTheAccountConfirmingRemovesIt()
    {
        var page = await CreateAsync("paul.delete");
        Dialogs.WaitForElement("[data-secret]");
        await ClickAsync(Dialogs, "Done");
        page.WaitForElement("tr[data-account='paul.delete']");

        Open(page, "Delete", "paul.delete");
        Dialogs.WaitForAssertion(() => Assert.Contains("Delete 'paul.delete'?", Dialogs.Markup));
        await ClickAsync(Dialogs, "Cancel");
        Dialogs.WaitForAssertion(() => Assert.DoesNotContain("Delete 'paul.delete'?", Dialogs.Markup));
        Assert.Single(page.FindAll("tr[data-account='paul.delete']"));

        Open(page, "Delete", "paul.delete");
        Dialogs.WaitForAssertion(() => Button(Dialogs, "Delete"));
        await ClickAsync(Dialogs, "Delete");

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("tr[data-account='paul.delete']")));
    }

    [Fact]
    public async Task AResetShowsANewOneTimePasswordAfterAConfirmation()
    {
        var page = await CreateAsync("rosa.reset");
        var first = Dialogs.WaitForElement("[data-secret]").TextContent.Trim();
        await ClickAsync(Dialogs, "Done");
        page.WaitForElement("tr[data-account='rosa.reset']");

        Open(page, "Reset password", "rosa.reset");
        Dialogs.WaitForAssertion(() => Assert.Contains("open sessions end", Dialogs.Markup));
        await ClickAsync(Dialogs, "Reset password");

        Dialogs.WaitForAssertion(() => Assert.Contains("New one-time password of 'rosa.reset'", Dialogs.Markup));
        Assert.NotEqual(first, Dialogs.Find("[data-secret]").TextContent.Trim());
    }
}
