using Microsoft.AspNetCore.Components;
using Presence.Web.Authentication;
using Presence.Web.Data.Entities;

namespace Presence.Web.Components.Pages.Admin;

/// <summary>The audit log page (<c>/admin/audit</c>, admins only): the most recent administrative actions, newest first.</summary>
public sealed partial class AuditLog : ComponentBase
{
    private const int Limit = 500;

    private IReadOnlyList<AdminAuditRow> _rows = [];

    /// <summary>The audit log.</summary>
    [Inject] public required AdminAuditLog Log { get; init; }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync() => _rows = await Log.RecentAsync(Limit);
}
