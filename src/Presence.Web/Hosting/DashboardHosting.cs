using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Presence.Web.Data;
using Presence.Web.Authentication;
using Presence.Web.Components;
using Presence.Web.Configuration;
using Presence.Web.Model;
using MudBlazor.Services;

namespace Presence.Web.Hosting;

/// <summary>Registers and maps the Blazor Server dashboard (docs/ARCHITECTURE.md §10): pages, Identity sign-in, policies.</summary>
internal static class DashboardHosting
{
    /// <summary>
    /// Adds the dashboard's services: Razor components (interactive server), MudBlazor, authorization policies.
    /// Static web assets of packages (<c>_framework/blazor.web.js</c>, <c>_content/MudBlazor/</c>) are served from
    /// the build output in every environment, not only in Development (a published build serves its own copies).
    /// </summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddRazorComponents()
            .AddInteractiveServerComponents(o => o.DetailedErrors = false);
        services.AddMudServices();
        services.AddScoped<ThemePreference>();
        services.AddCascadingAuthenticationState();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddIdentityCore<IdentityUser>(o =>
            {
                o.User.RequireUniqueEmail = false;
                o.Password.RequiredLength = 8;
                o.Lockout.MaxFailedAccessAttempts = 10;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PresenceDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddHostedService<FirstAdminSeeder>();
        services.AddSingleton<DashboardUserService>();
        services.AddSingleton<AdminAuditLog>();
        services.AddDashboardSessionRevalidation();
        services.AddSingleton<UserHistory>();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/signin";
            o.LogoutPath = SignInEndpoints.SignOutPath;
            o.AccessDeniedPath = "/signin";
            o.Cookie.Name = "Presence.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
        });
        services.AddAuthorization();
        services.AddOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>()
            .Configure<IOptions<BoardOptions>>((o, board) =>
            {
                o.AddPolicy(DashboardPolicies.Board, p =>
                {
                    if (board.Value.AllowAnonymous) p.RequireAssertion(_ => true);
                    else p.RequireAuthenticatedUser();
                });
                o.AddPolicy(DashboardPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(DashboardRoles.Admin));
            });
        return builder;
    }

    /// <summary>
    /// Maps the dashboard: error and not-found pages, authentication, antiforgery, static assets, Razor components,
    /// sign-in endpoints. Call it after the API's middleware so its not-found page takes precedence for page requests.
    /// </summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        // Friendly pages (never a stack trace) for browser requests; the API answers with problem details instead.
        app.UseWhen(IsPageRequest, page => page.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/Error",
            CreateScopeForErrors = true,
            // A malformed request (e.g. a form post without its anti-forgery token) stays a 400, not a 500.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        }));
        // A form post the framework cannot read (anti-forgery token missing or stale, invalid UTF-8, a value that does not
        // bind) is the caller's mistake: one Debug line and back to the form, not an error log with a stack trace.
        app.UseWhen(IsPageRequest, page => page.Use(FormPostRefusal.InvokeAsync));
        app.UseWhen(c => HttpMethods.IsGet(c.Request.Method) && IsPageRequest(c),
            page => page.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Routing after the re-execution above, so a re-executed request finds the not-found page's endpoint.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.RequirePasswordChange();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapSignInEndpoints();
        app.MapPasswordEndpoints();
        // The admin pages have no index of their own: /admin, where people look first, leads to the first of them.
        app.MapGet("/admin", () => Results.Redirect("/admin/clients")).ExcludeFromDescription();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>True for requests of the dashboard's pages, false for the API, the hub, health and OpenAPI.</summary>
    internal static bool IsPageRequest(HttpContext context)
    {
        var path = context.Request.Path;
        return !(path.StartsWithSegments("/api") || path.StartsWithSegments("/presence") || path.StartsWithSegments("/hubs")
                 || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/scalar") || path.StartsWithSegments("/_framework")
                 || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_content"));
    }
}
