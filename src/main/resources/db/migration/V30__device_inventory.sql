-- Device inventory (query mode, issue 5): the devices the platform lists through
-- /openapi/v1/cross/search, kept by the gateway so other systems can look them up.
-- A device the platform no longer lists is marked removed (removed_at), never deleted:
-- access records and status reports keep pointing at it, and it comes back if relisted.
CREATE TABLE device (
    location_id   VARCHAR(100) NOT NULL PRIMARY KEY, -- platform's device id (locationId)
    node_type     INT,                               -- 1 door, 2 gate, 3 surveillance, 4 visitor kiosk, 5 capture camera, 6 dome camera; NULL if not a number
    name          VARCHAR(500),                      -- nodeDesc as the platform shows it
    created_at    TIMESTAMP WITH TIME ZONE,          -- createTime on the platform; NULL if it sent none
    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL, -- first inventory pass that listed it
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL, -- latest inventory pass that listed it
    removed_at    TIMESTAMP WITH TIME ZONE           -- set by the first complete pass that no longer listed it; NULL while listed
);
CREATE INDEX device_removed_idx ON device (removed_at);

-- One row per inventory pass: when it ran, how far it got, and why it failed. A device is
-- marked removed only by a COMPLETE pass: "not seen since that pass started".
CREATE TABLE device_inventory_pass (
    pass_id         VARCHAR(36) NOT NULL PRIMARY KEY,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at     TIMESTAMP WITH TIME ZONE,
    status          VARCHAR(10) NOT NULL,          -- RUNNING, COMPLETE, FAILED
    pages           INT,                           -- pages read from the platform
    devices_listed  INT,                           -- distinct devices the platform listed
    devices_removed INT,                           -- devices this pass marked removed
    failure_reason  VARCHAR(2000)                  -- why a FAILED pass stopped
);
CREATE INDEX device_inventory_pass_started_idx ON device_inventory_pass (started_at);
