"""The sandbox database's tables, their schema and the triggers that keep the identity search
index in step (`store` creates them and drops a trigger for a bulk change)."""

from __future__ import annotations

# Tables whose rows tests may count; order matters for wiping (children first).
TABLES = (
    "instant_keys",
    "device_grants",
    "acs_credential_entrances",
    "acs_credentials",
    "acs_access_group_entrances",
    "acs_entrances",
    "devices",
    "acs_access_group_members",
    "acs_access_groups",
    "acs_users",
    "user_identities",
    "acs_systems",
    "workspaces",
    "meta",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workspaces (
    workspace_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    company_name TEXT NOT NULL,
    api_key TEXT NOT NULL UNIQUE,
    organization_id TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS acs_systems (
    acs_system_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces ON DELETE CASCADE,
    connected_account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    external_type TEXT NOT NULL,
    time_zone TEXT,
    errors TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acs_systems_ws ON acs_systems (workspace_id, created_at);

CREATE TABLE IF NOT EXISTS user_identities (
    seq INTEGER PRIMARY KEY,
    user_identity_id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces ON DELETE CASCADE,
    user_identity_key TEXT,
    email_address TEXT,
    phone_number TEXT,
    full_name TEXT,
    created_at TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    settle_at TEXT
);
CREATE INDEX IF NOT EXISTS user_identities_order
    ON user_identities (workspace_id, created_at, user_identity_id);
CREATE UNIQUE INDEX IF NOT EXISTS user_identities_key
    ON user_identities (workspace_id, user_identity_key);
CREATE UNIQUE INDEX IF NOT EXISTS user_identities_email
    ON user_identities (workspace_id, lower(email_address));
CREATE UNIQUE INDEX IF NOT EXISTS user_identities_phone
    ON user_identities (workspace_id, phone_number);

-- Substring search: a trigram index over the searchable columns, kept in step by the
-- TRIGGERS (see below).
CREATE VIRTUAL TABLE IF NOT EXISTS user_identities_fts USING fts5 (
    user_identity_id, full_name, email_address, phone_number,
    content = 'user_identities', content_rowid = 'seq', tokenize = 'trigram'
);
CREATE TABLE IF NOT EXISTS acs_users (
    seq INTEGER PRIMARY KEY,
    acs_user_id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces ON DELETE CASCADE,
    acs_system_id TEXT NOT NULL REFERENCES acs_systems ON DELETE CASCADE,
    user_identity_id TEXT REFERENCES user_identities (user_identity_id),
    full_name TEXT,
    email_address TEXT,
    phone_number TEXT,
    is_suspended INTEGER NOT NULL DEFAULT 0,
    starts_at TEXT,
    ends_at TEXT,
    hid_acs_system_id TEXT,
    errors TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    pending_mutations TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    settle_at TEXT
);
CREATE INDEX IF NOT EXISTS acs_users_order ON acs_users (workspace_id, created_at, acs_user_id);
-- A system's users in list order: a system's page never walks other systems' users.
DROP INDEX IF EXISTS acs_users_system;
CREATE INDEX IF NOT EXISTS acs_users_system_order
    ON acs_users (acs_system_id, created_at, acs_user_id);
CREATE INDEX IF NOT EXISTS acs_users_email ON acs_users (acs_system_id, lower(email_address));
CREATE INDEX IF NOT EXISTS acs_users_phone ON acs_users (acs_system_id, phone_number);
-- One ACS user per identity per system.
CREATE UNIQUE INDEX IF NOT EXISTS acs_users_identity
    ON acs_users (user_identity_id, acs_system_id);

CREATE TABLE IF NOT EXISTS acs_access_groups (
    acs_access_group_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces ON DELETE CASCADE,
    acs_system_id TEXT NOT NULL REFERENCES acs_systems ON DELETE CASCADE,
    name TEXT NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acs_access_groups_system
    ON acs_access_groups (acs_system_id, created_at);

CREATE TABLE IF NOT EXISTS acs_access_group_members (
    acs_access_group_id TEXT NOT NULL REFERENCES acs_access_groups ON DELETE CASCADE,
    acs_user_id TEXT NOT NULL REFERENCES acs_users (acs_user_id) ON DELETE CASCADE,
    PRIMARY KEY (acs_access_group_id, acs_user_id)
);
CREATE INDEX IF NOT EXISTS acs_access_group_members_user
    ON acs_access_group_members (acs_user_id);

-- Access (issue 12): devices, entrances, credentials, device grants and instant keys.
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces ON DELETE CASCADE,
    connected_account_id TEXT NOT NULL,
    device_type TEXT NOT NULL,
    name TEXT NOT NULL,
    nickname TEXT,
    serial_number TEXT,
    location_name TEXT,
    time_zone TEXT,
    online INTEGER NOT NULL DEFAULT 1,
    locked INTEGER,
    door_open INTEGER,
    battery_level REAL,
    errors TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    custom_metadata TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS devices_order ON devices (workspace_id, created_at, device_id);

CREATE TABLE IF NOT EXISTS acs_entrances (
    acs_entrance_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces ON DELETE CASCADE,
    acs_system_id TEXT NOT NULL REFERENCES acs_systems ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    is_locked INTEGER,
    can_unlock_with_card INTEGER NOT NULL DEFAULT 0,
    can_unlock_with_code INTEGER NOT NULL DEFAULT 0,
    can_unlock_with_mobile_key INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acs_entrances_order
    ON acs_entrances (workspace_id, created_at, acs_entrance_id);
CREATE INDEX IF NOT EXISTS acs_entrances_system
    ON acs_entrances (acs_system_id, created_at, acs_entrance_id);

-- Which access groups open which entrances.
CREATE TABLE IF NOT EXISTS acs_access_group_entrances (
    acs_access_group_id TEXT NOT NULL REFERENCES acs_access_groups ON DELETE CASCADE,
    acs_entrance_id TEXT NOT NULL REFERENCES acs_entrances ON DELETE CASCADE,
    PRIMARY KEY (acs_access_group_id, acs_entrance_id)
);
CREATE INDEX IF NOT EXISTS acs_access_group_entrances_entrance
    ON acs_access_group_entrances (acs_entrance_id);

-- A credential goes with its ACS user (and an MPS child with its parent); unassigned: NULL.
CREATE TABLE IF NOT EXISTS acs_credentials (
    acs_credential_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces ON DELETE CASCADE,
    acs_system_id TEXT NOT NULL REFERENCES acs_systems ON DELETE CASCADE,
    acs_user_id TEXT REFERENCES acs_users (acs_user_id) ON DELETE CASCADE,
    parent_acs_credential_id TEXT REFERENCES acs_credentials ON DELETE CASCADE,
    access_method TEXT NOT NULL,
    display_name TEXT NOT NULL,
    code TEXT,
    card_number TEXT,
    starts_at TEXT,
    ends_at TEXT,
    is_multi_phone_sync_credential INTEGER NOT NULL DEFAULT 0,
    is_issued INTEGER NOT NULL DEFAULT 0,
    issued_at TEXT,
    errors TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acs_credentials_order
    ON acs_credentials (workspace_id, created_at, acs_credential_id);
CREATE INDEX IF NOT EXISTS acs_credentials_user ON acs_credentials (acs_user_id);
CREATE INDEX IF NOT EXISTS acs_credentials_parent ON acs_credentials (parent_acs_credential_id);

-- The entrances a credential is allowed to open.
CREATE TABLE IF NOT EXISTS acs_credential_entrances (
    acs_credential_id TEXT NOT NULL REFERENCES acs_credentials ON DELETE CASCADE,
    acs_entrance_id TEXT NOT NULL REFERENCES acs_entrances ON DELETE CASCADE,
    PRIMARY KEY (acs_credential_id, acs_entrance_id)
);
CREATE INDEX IF NOT EXISTS acs_credential_entrances_entrance
    ON acs_credential_entrances (acs_entrance_id);

-- Devices granted to identities directly (`/user_identities/grant_access_to_device`).
CREATE TABLE IF NOT EXISTS device_grants (
    user_identity_id TEXT NOT NULL
        REFERENCES user_identities (user_identity_id) ON DELETE CASCADE,
    device_id TEXT NOT NULL REFERENCES devices ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_identity_id, device_id)
);
CREATE INDEX IF NOT EXISTS device_grants_device ON device_grants (device_id);

-- `max_use_count` is kept though the API never returns it.
CREATE TABLE IF NOT EXISTS instant_keys (
    instant_key_id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces ON DELETE CASCADE,
    user_identity_id TEXT NOT NULL
        REFERENCES user_identities (user_identity_id) ON DELETE CASCADE,
    instant_key_url TEXT NOT NULL UNIQUE,
    client_session_id TEXT NOT NULL,
    customization_profile_id TEXT,
    max_use_count REAL NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS instant_keys_identity
    ON instant_keys (user_identity_id, created_at, instant_key_id);
CREATE INDEX IF NOT EXISTS instant_keys_order
    ON instant_keys (workspace_id, created_at, instant_key_id);
"""

# Keep the search index in step with user_identities. Bulk changes drop a trigger for the
# length of their transaction and index in one statement instead: three times faster, and
# other connections never see the trigger missing (DDL is transactional in SQLite).
TRIGGERS = {
    "user_identities_fts_insert": """
CREATE TRIGGER user_identities_fts_insert AFTER INSERT ON user_identities BEGIN
    INSERT INTO user_identities_fts
        (rowid, user_identity_id, full_name, email_address, phone_number)
    VALUES (new.seq, new.user_identity_id, new.full_name, new.email_address, new.phone_number);
END""",
    "user_identities_fts_delete": """
CREATE TRIGGER user_identities_fts_delete AFTER DELETE ON user_identities BEGIN
    INSERT INTO user_identities_fts
        (user_identities_fts, rowid, user_identity_id, full_name, email_address, phone_number)
    VALUES ('delete', old.seq, old.user_identity_id, old.full_name, old.email_address,
            old.phone_number);
END""",
    "user_identities_fts_update": """
CREATE TRIGGER user_identities_fts_update AFTER UPDATE ON user_identities BEGIN
    INSERT INTO user_identities_fts
        (user_identities_fts, rowid, user_identity_id, full_name, email_address, phone_number)
    VALUES ('delete', old.seq, old.user_identity_id, old.full_name, old.email_address,
            old.phone_number);
    INSERT INTO user_identities_fts
        (rowid, user_identity_id, full_name, email_address, phone_number)
    VALUES (new.seq, new.user_identity_id, new.full_name, new.email_address, new.phone_number);
END""",
}
