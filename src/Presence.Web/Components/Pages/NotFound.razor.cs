using Microsoft.AspNetCore.Components;

namespace Presence.Web.Components.Pages;

/// <summary>The page shown for an address that matches no page (<c>/not-found</c>).</summary>
public sealed partial class NotFound : ComponentBase;
