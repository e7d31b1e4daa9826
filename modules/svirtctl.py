#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: (c) 2026, svirtctl maintainers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Keeps libvirt's QEMU sVirt confinement as a svirtctl state file says. It wraps the svirtctl
# command line (apply -o json), so the module and the command never disagree.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: svirtctl
short_description: Keep libvirt's QEMU sVirt confinement (qemu.conf, AppArmor profiles) as declared
description:
  - "Runs C(svirtctl apply -o json) on the target with a svirtctl state file
    (C(kind: Host) or C(kind: Fleet)) and reports what changed."
  - In check mode it runs C(svirtctl apply --check -o json), which writes nothing on the target.
  - With C(--diff) the whole before and after text of every file svirtctl writes becomes
    Ansible's diff.
  - A second run with the same state changes nothing and reports C(changed=false).
version_added: "0.1.0"
options:
  src:
    description:
      - Path of the state file on the target.
      - Mutually exclusive with I(definition); one of them is required.
    type: path
  definition:
    description:
      - The state document itself, as a dictionary, for example a YAML file on the controller read
        with the C(ansible.builtin.file) lookup and the C(from_yaml) filter.
      - It is passed to svirtctl on its standard input; nothing is written to a file on the target.
      - "An error in it is reported at this option, followed by the key path inside the document
        (for example C(definition: qemu_conf.security_driver: unknown value))."
      - Mutually exclusive with I(src).
    type: dict
  host:
    description:
      - "The host whose state a C(kind: Fleet) file gives (svirtctl's C(--host))."
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
      - C(false) passes C(--no-reload), so files are written and nothing is loaded into the kernel.
    type: bool
    default: true
  executable:
    description:
      - The svirtctl command. May hold a command with arguments, split like a shell would
        (for example C(java -jar /opt/svirtctl/svirtctl.jar)).
      - Its first word is looked up on the target's C(PATH) (and C(/usr/sbin), C(/usr/local/bin));
        when it is not found the task fails saying so, before anything runs.
    type: str
    default: svirtctl
attributes:
  check_mode:
    support: full
    description: Runs C(svirtctl apply --check), which plans and writes nothing.
  diff_mode:
    support: full
    description: Returns the whole before and after text of every file that changes.
  platform:
    support: full
    platforms: posix
    description: Runs on the Linux hypervisor that svirtctl manages.
notes:
  - svirtctl takes its own lock, so concurrent runs on one host wait for each other.
  - A qemu.conf change needs the libvirt daemon restarted; the module does not restart it but
    names the daemons in C(restart_required), for a handler to act on.
requirements:
  - svirtctl on the target (the Debian package provides C(/usr/bin/svirtctl)), with Java 17 or later.
author:
  - svirtctl maintainers (@svirtctl)
"""

EXAMPLES = r"""
- name: Confine every guest as the fleet file on the target says
  svirtctl.svirt.svirtctl:
    src: /etc/svirtctl/fleet.yaml
    host: "{{ inventory_hostname }}"
  register: confinement
  notify: Restart the libvirt daemon

- name: Same, with the state passed inline from the controller
  svirtctl.svirt.svirtctl:
    definition: "{{ lookup('ansible.builtin.file', 'fleet.yaml') | from_yaml }}"
    host: "{{ inventory_hostname }}"

- name: Plan on a host without svirtctl installed system-wide
  svirtctl.svirt.svirtctl:
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
  sample: true
msg:
  description: svirtctl's one-line summary, or its one-line error.
  type: str
  returned: always
  sample: 3 changes applied
host:
  description: The host whose state was applied (the one picked from a Fleet file).
  type: str
  returned: success
  sample: hv01.lab.example
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
  sample: [libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb]
changes:
  description: The typed changes, as C(svirtctl -o json) lists them.
  type: list
  elements: dict
  returned: success
  contains:
    action:
      description: What is done to the resource.
      type: str
      sample: update
    resource:
      description: The resource, as the state file names it.
      type: str
      sample: qemu_conf.security_default_confined
    path:
      description: The file on the target that holds it.
      type: str
      sample: /etc/libvirt/qemu.conf
    before:
      description: Its value before the run, when it has one.
      type: str
      sample: "0"
    after:
      description: Its value after the run, when it has one.
      type: str
      sample: "1"
warnings:
  description: svirtctl's warnings (also shown as Ansible warnings).
  type: list
  elements: str
  returned: success
  sample: []
rc:
  description: svirtctl's exit code.
  type: int
  returned: when svirtctl ran
  sample: 0
cmd:
  description: The command line that was run.
  type: list
  elements: str
  returned: failure
  sample: [svirtctl, apply, -f, /etc/svirtctl/fleet.yaml, -o, json]
stdout:
  description: svirtctl's standard output.
  type: str
  returned: failure
  sample: ""
stderr:
  description: svirtctl's standard error.
  type: str
  returned: failure
  sample: "svirtctl: /etc/libvirt/qemu.conf:3:1: syntax error"
"""

import json
import re
import shlex

from ansible.module_utils.basic import AnsibleModule

# How svirtctl names a state document read from standard input in its messages.
STDIN_NAME = "<stdin>"


def executable_command(module, executable):
    """The executable's words with the first resolved on the target, or a failure naming it."""
    try:
        words = shlex.split(executable)
    except ValueError as err:
        module.fail_json(msg="executable: cannot split %r: %s" % (executable, err))
    if not words:
        module.fail_json(msg="executable: is empty")
    path = module.get_bin_path(words[0], opt_dirs=["/usr/sbin", "/usr/local/bin"])
    if path is None:
        module.fail_json(
            msg="executable: %s was not found on the target; install the svirtctl package "
                "or set executable to the command that runs it" % words[0])
    return [path] + words[1:]


def build_command(params, words, check_mode):
    cmd = list(words)
    cmd += ["apply", "-f", params["src"] if params["src"] is not None else "-", "-o", "json"]
    if check_mode:
        cmd.append("--check")
    if params["host"]:
        cmd += ["--host", params["host"]]
    if params["root"] and params["root"] != "/":
        cmd += ["--root", params["root"]]
    if not params["reload"]:
        cmd.append("--no-reload")
    return cmd


def at_option(line):
    """svirtctl's error about the inline document, pointing at the option instead of stdin.

    The line:column point into the JSON text the module made, not the user's file: dropped.
    """
    return re.sub(re.escape(STDIN_NAME) + r":(?:\d+:\d+:)?", "definition:", line)


def failure_report(out):
    """The JSON object a failing run printed on stdout, or an empty dict."""
    try:
        report = json.loads(out)
    except ValueError:
        return {}
    return report if isinstance(report, dict) else {}


def failure_message(out, err, rc):
    """The failure's one line: stderr's first line, else the JSON report's msg."""
    for line in (err or "").splitlines():
        if line.strip():
            return line.strip()
    report = failure_report(out)
    if report.get("msg"):
        return str(report["msg"])
    return "svirtctl exited with %d and printed no error" % rc


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type="path"),
            definition=dict(type="dict"),
            host=dict(type="str"),
            root=dict(type="path", default="/"),
            reload=dict(type="bool", default=True),
            executable=dict(type="str", default="svirtctl"),
        ),
        mutually_exclusive=[("src", "definition")],
        required_one_of=[("src", "definition")],
        supports_check_mode=True,
    )
    params = module.params
    cmd = build_command(params, executable_command(module, params["executable"]), module.check_mode)
    data = None
    if params["definition"] is not None:
        # JSON is YAML: svirtctl reads it from standard input as it reads a state file.
        data = json.dumps(params["definition"], indent=2)
    rc, out, err = module.run_command(cmd, data=data, check_rc=False)

    if rc != 0:
        msg = failure_message(out, err, rc)
        if data is not None:
            msg = at_option(msg)
            err = "\n".join(at_option(line) for line in err.splitlines())
            out = at_option(out)
        # A failing run still prints its JSON object: what it applied and warned about.
        report = failure_report(out)
        module.fail_json(msg=msg, rc=rc, stderr=err, stdout=out, cmd=cmd,
                         changed=bool(report.get("changed")),
                         changes=report.get("changes", []),
                         warnings=report.get("warnings", []))
    try:
        report = json.loads(out)
    except ValueError:
        report = None
    if not isinstance(report, dict):
        module.fail_json(msg="svirtctl printed no JSON report", rc=rc, stdout=out, stderr=err,
                         cmd=cmd, changed=False)

    # Ansible shows a result's "warnings" as its own warnings.
    result = dict(
        changed=bool(report.get("changed")),
        msg=report.get("msg", ""),
        host=report.get("host", ""),
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
