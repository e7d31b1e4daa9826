#!/usr/bin/python3
# -*- coding: utf-8 -*-
# Ansible module for svirtctl: keeps libvirt's QEMU sVirt confinement as a state file says.
# It wraps the svirtctl command line (apply -o json), so the module and the CLI never disagree.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: svirtctl
short_description: Keep libvirt's QEMU sVirt confinement (qemu.conf, AppArmor profiles) as declared
description:
  - Runs C(svirtctl apply -o json) on the target with a svirtctl state file (C(kind: Host) or
    C(kind: Fleet)) and reports what changed.
  - In check mode it runs C(svirtctl apply --check -o json), which writes nothing.
  - With C(--diff) the whole before/after text of every file svirtctl writes becomes Ansible's diff.
  - A second run with the same state changes nothing and reports C(changed=false).
version_added: "0.1.0"
options:
  src:
    description:
      - Path of the state file on the target.
      - Mutually exclusive with I(state); one of them is required.
    type: path
  state:
    description:
      - The state file's content as a dictionary (for example
        C("{{ lookup('file', 'fleet.yaml') | from_yaml }}")).
      - Written to a private temporary file (mode 0600) on the target, removed afterwards.
    type: dict
  host:
    description:
      - The host whose state a C(kind: Fleet) file gives (svirtctl's C(--host)).
      - Defaults to the target's hostname, as svirtctl decides.
    type: str
  root:
    description:
      - Treat every managed path as relative to this directory (svirtctl's C(--root)); for image
        builds, chroots and tests.
    type: path
    default: /
  reload:
    description:
      - Whether changed profiles that are loaded are replaced in the kernel, as the state's
        C(apparmor.reload) policy says.
      - C(false) passes C(--no-reload): files are written, nothing is loaded into the kernel.
    type: bool
    default: true
  executable:
    description:
      - The svirtctl command. May hold a command with arguments, split like a shell would
        (for example C(java -jar /opt/svirtctl/svirtctl.jar)).
    type: str
    default: svirtctl
notes:
  - Supports check mode and diff mode.
  - svirtctl takes its own lock; concurrent runs on one host wait for each other.
requirements:
  - svirtctl on the target (the Debian package provides C(/usr/bin/svirtctl)), Java 17 or later.
author:
  - svirtctl developers
"""

EXAMPLES = r"""
- name: Confine every guest as the fleet file says
  svirtctl:
    src: /etc/svirtctl/fleet.yaml
    host: "{{ inventory_hostname }}"
  register: confinement
  notify: restart libvirt

- name: Same, with the state passed inline from the controller
  svirtctl:
    state: "{{ lookup('ansible.builtin.file', 'fleet.yaml') | from_yaml }}"
    host: "{{ inventory_hostname }}"

- name: Plan on a host without svirtctl installed system-wide
  svirtctl:
    src: /srv/state.yaml
    executable: java -jar /opt/svirtctl/svirtctl.jar
  check_mode: true
  diff: true
"""

RETURN = r"""
changed:
  description: Whether svirtctl changed (or, in check mode, would change) anything.
  type: bool
  returned: always
msg:
  description: svirtctl's one-line summary, or its one-line error.
  type: str
  returned: always
  sample: 3 changes applied
restart_required:
  description: Daemons that must be restarted for qemu.conf changes to take effect.
  type: list
  elements: str
  returned: success
  sample: [libvirtd]
reloaded:
  description: Profiles replaced in the kernel.
  type: list
  elements: str
  returned: success
changes:
  description: The typed changes, as C(svirtctl -o json) lists them (action, resource, path, before, after).
  type: list
  elements: dict
  returned: success
warnings:
  description: svirtctl's warnings (also shown as Ansible warnings).
  type: list
  elements: str
  returned: success
rc:
  description: svirtctl's exit code.
  type: int
  returned: always
stderr:
  description: svirtctl's standard error.
  type: str
  returned: failure
"""

import json
import os
import shlex
import tempfile

from ansible.module_utils.basic import AnsibleModule


def build_command(params, state_file, check_mode):
    cmd = shlex.split(params["executable"])
    if not cmd:
        raise ValueError("executable is empty")
    cmd += ["apply", "-f", state_file, "-o", "json"]
    if check_mode:
        cmd.append("--check")
    if params.get("host"):
        cmd += ["--host", params["host"]]
    if params.get("root") and params["root"] != "/":
        cmd += ["--root", params["root"]]
    if not params["reload"]:
        cmd.append("--no-reload")
    return cmd


def first_error_line(stderr, rc):
    for line in (stderr or "").splitlines():
        if line.strip():
            return line.strip()
    return "svirtctl exited with %d and printed no error" % rc


def write_inline_state(module, state):
    fd, path = tempfile.mkstemp(prefix="svirtctl-state-", suffix=".json", dir=module.tmpdir)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as handle:
            # JSON is YAML: svirtctl's loader reads it as is.
            json.dump(state, handle, indent=2, sort_keys=False)
            handle.write("\n")
    except (OSError, TypeError, ValueError) as err:
        module.fail_json(msg="cannot write the inline state: %s" % err)
    return path


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type="path"),
            state=dict(type="dict"),
            host=dict(type="str"),
            root=dict(type="path", default="/"),
            reload=dict(type="bool", default=True),
            executable=dict(type="str", default="svirtctl"),
        ),
        mutually_exclusive=[("src", "state")],
        required_one_of=[("src", "state")],
        supports_check_mode=True,
    )
    params = module.params
    state_file = params["src"]
    inline = None
    if params["state"] is not None:
        inline = write_inline_state(module, params["state"])
        state_file = inline
    try:
        try:
            cmd = build_command(params, state_file, module.check_mode)
        except ValueError as err:
            module.fail_json(msg="executable: %s" % err, rc=64)
        rc, out, err = module.run_command(cmd, check_rc=False)
    finally:
        if inline is not None and os.path.exists(inline):
            os.unlink(inline)

    if rc != 0:
        module.fail_json(msg=first_error_line(err, rc), rc=rc, stderr=err, stdout=out,
                         cmd=cmd, changed=False)
    try:
        report = json.loads(out)
    except ValueError:
        module.fail_json(msg="svirtctl printed no JSON report", rc=rc, stdout=out, stderr=err,
                         cmd=cmd, changed=False)

    # Ansible shows a result's "warnings" as its own warnings.
    result = dict(
        changed=bool(report.get("changed")),
        msg=report.get("msg", ""),
        restart_required=report.get("restart_required", []),
        reloaded=report.get("reloaded", []),
        changes=report.get("changes", []),
        warnings=report.get("warnings", []),
        rc=rc,
    )
    if module._diff:
        result["diff"] = [
            dict(
                before_header=d.get("before_header", ""),
                after_header=d.get("after_header", ""),
                before=d.get("before", ""),
                after=d.get("after", ""),
            )
            for d in report.get("diff", [])
        ]
    module.exit_json(**result)


if __name__ == "__main__":
    main()
