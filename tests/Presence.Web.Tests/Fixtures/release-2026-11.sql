-- A SQLite database made by the release before generated migrations (hand-written 20261121000000_Initial):
-- three users' spreed statuses and their history, written through the compat API, dumped with sqlite3 .dump
-- (Data Protection keys and the admin account left out).
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY,
    "Timestamp" TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);
INSERT INTO __EFMigrationsHistory VALUES('20261121000000_Initial','10.0.14');
CREATE TABLE IF NOT EXISTS "Users" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Users" PRIMARY KEY,
    "LastChange" TEXT NOT NULL
);
INSERT INTO Users VALUES('alice@example.com','2026-11-30 10:17:05.640092');
INSERT INTO Users VALUES('bob@example.com','2026-11-30 10:17:06.284666');
INSERT INTO Users VALUES('carol@example.com','2026-11-30 10:17:06.8378239');
CREATE TABLE IF NOT EXISTS "ProtocolStatuses" (
    "UserId" TEXT NOT NULL,
    "Protocol" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Show" TEXT NULL,
    "Message" TEXT NOT NULL,
    "Since" TEXT NOT NULL,
    "AnnotationKind" TEXT NULL,
    "AnnotationFrom" TEXT NULL,
    "AnnotationDescription" TEXT NULL,
    "AnnotationSince" TEXT NULL,
    CONSTRAINT "PK_ProtocolStatuses" PRIMARY KEY ("UserId", "Protocol"),
    CONSTRAINT "FK_ProtocolStatuses_Users_UserId" FOREIGN KEY ("UserId") REFERENCES "Users" ("Id") ON DELETE CASCADE
);
INSERT INTO ProtocolStatuses VALUES('alice@example.com','spreed','busy',NULL,'in a meeting','2026-11-30 10:17:05.640092',NULL,NULL,NULL,NULL);
INSERT INTO ProtocolStatuses VALUES('bob@example.com','spreed','away',NULL,'lunch','2026-11-30 10:17:06.284666',NULL,NULL,NULL,NULL);
INSERT INTO ProtocolStatuses VALUES('carol@example.com','spreed','available',NULL,'','2026-11-30 10:17:06.8378239',NULL,NULL,NULL,NULL);
CREATE TABLE IF NOT EXISTS "XmppResources" (
    "UserId" TEXT NOT NULL,
    "Resource" TEXT NOT NULL,
    "Show" TEXT NOT NULL,
    "Priority" INTEGER NOT NULL,
    "Message" TEXT NOT NULL,
    "Since" TEXT NOT NULL,
    "Ip" TEXT NULL,
    "Hostname" TEXT NULL,
    "AnnotationKind" TEXT NULL,
    "AnnotationFrom" TEXT NULL,
    "AnnotationDescription" TEXT NULL,
    "AnnotationSince" TEXT NULL,
    CONSTRAINT "PK_XmppResources" PRIMARY KEY ("UserId", "Resource"),
    CONSTRAINT "FK_XmppResources_Users_UserId" FOREIGN KEY ("UserId") REFERENCES "Users" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "History" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_History" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "At" TEXT NOT NULL,
    "Protocol" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Show" TEXT NULL,
    "Message" TEXT NOT NULL,
    "AnnotationKind" TEXT NULL,
    "AnnotationFrom" TEXT NULL,
    "AnnotationDescription" TEXT NULL,
    "Cause" TEXT NOT NULL
);
INSERT INTO History VALUES(1,'alice@example.com','2026-11-30 10:17:05.2101026','spreed','available',NULL,'morning',NULL,NULL,NULL,'api');
INSERT INTO History VALUES(2,'alice@example.com','2026-11-30 10:17:05.2101026','overall','available',NULL,'',NULL,NULL,NULL,'api');
INSERT INTO History VALUES(3,'alice@example.com','2026-11-30 10:17:05.640092','spreed','busy',NULL,'in a meeting',NULL,NULL,NULL,'api');
INSERT INTO History VALUES(4,'alice@example.com','2026-11-30 10:17:05.640092','overall','busy',NULL,'',NULL,NULL,NULL,'api');
INSERT INTO History VALUES(5,'bob@example.com','2026-11-30 10:17:06.284666','spreed','away',NULL,'lunch',NULL,NULL,NULL,'api');
INSERT INTO History VALUES(6,'bob@example.com','2026-11-30 10:17:06.284666','overall','away',NULL,'',NULL,NULL,NULL,'api');
INSERT INTO History VALUES(7,'carol@example.com','2026-11-30 10:17:06.8378239','spreed','available',NULL,'',NULL,NULL,NULL,'api');
INSERT INTO History VALUES(8,'carol@example.com','2026-11-30 10:17:06.8378239','overall','available',NULL,'',NULL,NULL,NULL,'api');
CREATE TABLE IF NOT EXISTS "ComponentSubscribers" (
    "BareJid" TEXT NOT NULL CONSTRAINT "PK_ComponentSubscribers" PRIMARY KEY,
    "Since" TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS "ApiClients" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ApiClients" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "ProtectedSecret" TEXT NOT NULL,
    "PreviousProtectedSecret" TEXT NULL,
    "PreviousSecretValidUntil" TEXT NULL,
    "Scopes" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NULL,
    "RevokedAt" TEXT NULL,
    "LastUsedAt" TEXT NULL,
    "UseCount" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "AdminAudit" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AdminAudit" PRIMARY KEY AUTOINCREMENT,
    "At" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "Detail" TEXT NULL
);
CREATE TABLE IF NOT EXISTS "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);
CREATE TABLE IF NOT EXISTS "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserPasskeys" (
    "CredentialId" BLOB NOT NULL CONSTRAINT "PK_AspNetUserPasskeys" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Data" TEXT NOT NULL,
    CONSTRAINT "FK_AspNetUserPasskeys_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('DataProtectionKeys',1);
INSERT INTO sqlite_sequence VALUES('History',8);
CREATE INDEX "IX_History_UserId_At" ON "History" ("UserId", "At");
CREATE INDEX "IX_History_At" ON "History" ("At");
CREATE UNIQUE INDEX "IX_ApiClients_Name" ON "ApiClients" ("Name");
CREATE INDEX "IX_AdminAudit_At" ON "AdminAudit" ("At");
CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");
CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");
CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");
CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");
CREATE INDEX "IX_AspNetUserPasskeys_UserId" ON "AspNetUserPasskeys" ("UserId");
CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");
CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
COMMIT;
