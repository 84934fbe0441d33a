using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Presence.Web.Authentication;
using Presence.Web.Components.Pages.Admin;
using Presence.Web.Data;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests.Components;

/// <summary>The audit log page reads through <see cref="AdminAuditLog"/>, on the real service's database (SQLite).</summary>
public sealed class AuditLogPageTests : AdminPageContext, IClassFixture<AppFixture>
{
    private readonly AppFixture _app;

    public AuditLogPageTests(AppFixture app) : base(s => s.AddSingleton(app.Services.GetRequiredService<AdminAuditLog>())) => _app = app;

    [Fact]
    public async Task TheServiceReturnsTheMostRecentRowsNewestFirst()
    {
        var contexts = _app.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>();
        for (var i = 1; i <= 3; i++)
            await AdminAudit.WriteAsync(contexts, DateTimeOffset.UtcNow, "auditor", "test.audit-order", $"row {i}");

        var rows = await _app.Services.GetRequiredService<AdminAuditLog>().RecentAsync(2);

        Assert.Equal(["row 3", "row 2"], rows.Select(r => r.Detail));
    }

    [Fact]
    public async Task ThePageListsTheRowsWithTheirActorAndAction()
    {
        var contexts = _app.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>();
        await AdminAudit.WriteAsync(contexts, DateTimeOffset.UtcNow, "auditor", "test.audit-page", "shown on the page");

        var page = Ctx.Render<AuditLog>();

        var row = page.WaitForElement("tr[data-action='test.audit-page']");
        Assert.Contains("auditor", row.TextContent);
        Assert.Contains("shown on the page", row.TextContent);
    }
}
