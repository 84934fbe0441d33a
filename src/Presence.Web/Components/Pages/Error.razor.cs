using System.Diagnostics;
using Microsoft.AspNetCore.Components;

namespace Presence.Web.Components.Pages;

/// <summary>The error page (<c>/Error</c>), statically rendered: says that the failure was logged and under which request id.</summary>
public sealed partial class Error : ComponentBase
{
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    private string? RequestId => Activity.Current?.Id ?? HttpContext?.TraceIdentifier;
}
