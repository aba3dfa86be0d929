#!/usr/bin/env python3
"""Checks deploy/ as far as a machine without a container runtime allows.

    tools/check_deploy.py BUILD_DIR

- deploy/compose.yaml parses (docker-compose config) and builds only targets
  deploy/Dockerfile defines;
- each service image's entry point, run from BUILD_DIR, answers --help, and
  its runtime packages (with what they depend on) provide every shared
  library the binary links;
- the Kubernetes manifests in deploy/k8s parse and hold what each kind needs:
  Deployments (selector matching the template, images the Dockerfile builds,
  probes, resource requests and memory limits, non-root), every Secret and key
  they mount or read made by deploy/k8s/secrets.sh, a Service, a
  PodDisruptionBudget and a NetworkPolicy for each Deployment, their selectors
  and ports matching it;
- Prometheus scrapes each service's metrics port, and every series the alert
  rules name is one the code serves.

Prints what it checked; exits 1 with every problem found.
"""
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")
problems = []


def problem(text):
    problems.append(text)


def dockerfile_stages():
    """Stage name -> {'from', 'apt', 'entrypoint', 'copies'}."""
    stages = {}
    current = None
    text = open(os.path.join(DEPLOY, "Dockerfile")).read().replace("\\\n", " ")
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "FROM":
            current = {"from": words[1], "apt": [], "entrypoint": None, "copies": []}
            if len(words) == 4 and words[2] == "AS":
                stages[words[3]] = current
        elif words[0] == "RUN" and "apt-get install" in line:
            for word in words[words.index("install") + 1:]:
                if word == "&&":
                    break
                if not word.startswith("-") and not word.startswith("$"):
                    current["apt"].append(word)
        elif words[0] == "ENTRYPOINT":
            current["entrypoint"] = yaml.safe_load(line[len("ENTRYPOINT"):])
        elif words[0] == "COPY" and words[1] == "--from=build":
            current["copies"].append(words[2])
    return stages


def runtime_packages(stages, name):
    """The apt packages a stage installs, through the stages it is built on."""
    packages = []
    while name in stages:
        packages += stages[name]["apt"]
        name = stages[name]["from"]
    return packages


def dependency_closure(packages):
    """`packages` and everything they depend on, among installed packages."""
    listing = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\t${Depends}, ${Pre-Depends}\n"],
        capture_output=True, text=True, check=True).stdout
    depends = {}
    for row in listing.splitlines():
        package, _, rest = row.partition("\t")
        names = set()
        for clause in rest.split(","):
            for alternative in clause.split("|"):
                alternative = alternative.strip()
                if alternative:
                    names.add(alternative.split()[0].split(":")[0])
        depends[package] = names
    closure = set()
    todo = list(packages)
    while todo:
        package = todo.pop()
        if package not in closure:
            closure.add(package)
            todo += depends.get(package, ())
    return closure


def package_of(path):
    result = subprocess.run(["dpkg", "-S", os.path.realpath(path)], capture_output=True,
                            text=True)
    if result.returncode != 0:
        result = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    if result.returncode != 0:
        return None
    return result.stdout.split(":")[0]


# What debian:12-slim holds already (its essential packages' libraries).
SLIM_BASE = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1", "liblzma5",
             "libbz2-1.0", "libcrypt1", "libselinux1", "libpcre2-8-0"}


def check_images(stages, build_dir):
    checked = []
    for name, stage in stages.items():
        if not stage["copies"] or not stage["entrypoint"]:
            continue
        binary = stage["entrypoint"][0]
        built = [c for c in stage["copies"] if os.path.basename(c) == os.path.basename(binary)]
        if not built:
            problem(f"Dockerfile {name}: the entry point {binary} is not copied from the build")
            continue
        local = os.path.join(build_dir, os.path.relpath(built[0], "/build"))
        if not os.path.exists(local):
            problem(f"Dockerfile {name}: {local} was not built")
            continue
        # Usage, headed by the program's name (absl's --help exits 1).
        helped = subprocess.run([local, "--help"], capture_output=True, text=True, timeout=30)
        usage = helped.stdout + helped.stderr
        if helped.returncode not in (0, 1) or not usage.startswith(os.path.basename(local)):
            problem(f"Dockerfile {name}: `{os.path.basename(local)} --help` printed no usage "
                    f"(exit {helped.returncode})")
        closure = dependency_closure(runtime_packages(stages, name)) | SLIM_BASE
        ldd = subprocess.run(["ldd", local], capture_output=True, text=True, check=True).stdout
        for line in ldd.splitlines():
            match = re.search(r"=> (/\S+)", line)
            if not match:
                continue
            package = package_of(match.group(1))
            if package is None:
                problem(f"Dockerfile {name}: {match.group(1)} belongs to no Debian package")
            elif package not in closure:
                problem(f"Dockerfile {name}: {os.path.basename(binary)} links "
                        f"{os.path.basename(match.group(1))} from {package}, which the image "
                        f"does not install")
        checked.append(name)
    print(f"images: entry points answer --help and find their libraries: {', '.join(checked)}")
    return checked


def check_compose(stages):
    env = dict(os.environ, OSAN_PG_PASSWORD="check", OSAN_DB_PASSWORD="check")
    result = subprocess.run(["docker-compose", "-f", os.path.join(DEPLOY, "compose.yaml"),
                             "config"], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        problem(f"compose.yaml: docker-compose config failed: {result.stderr.strip()}")
        return {}
    config = yaml.safe_load(result.stdout)
    services = config.get("services", {})
    for name, service in services.items():
        target = (service.get("build") or {}).get("target")
        if target is not None and target not in stages:
            problem(f"compose.yaml {name}: builds target {target}, not in deploy/Dockerfile")
    print(f"compose: {len(services)} services parsed by docker-compose: {', '.join(services)}")
    return services


def metrics_port(stage):
    for argument in stage["entrypoint"] or []:
        if argument.startswith("--metrics_listen="):
            return int(argument.rsplit(":", 1)[1])
    return None


def check_prometheus(stages, services):
    config = yaml.safe_load(open(os.path.join(DEPLOY, "prometheus", "prometheus.yml")))
    targets = {t for job in config["scrape_configs"] for s in job["static_configs"]
               for t in s["targets"]}
    for name, service in services.items():
        target = (service.get("build") or {}).get("target")
        port = metrics_port(stages[target]) if target in stages else None
        if port is not None and f"{name}:{port}" not in targets:
            problem(f"prometheus.yml: does not scrape {name}:{port}")
    sources = ""
    for path in glob.glob(os.path.join(ROOT, "common", "*.cc")) + \
            glob.glob(os.path.join(ROOT, "services", "**", "*.cc"), recursive=True):
        sources += open(path, encoding="utf-8").read()
    rules = yaml.safe_load(open(os.path.join(DEPLOY, "prometheus", "alerts.yml")))
    count = 0
    for group in rules["groups"]:
        for rule in group["rules"]:
            count += 1
            for field in ("alert", "expr"):
                if field not in rule:
                    problem(f"alerts.yml: a rule lacks {field}")
            annotations = rule.get("annotations", {})
            if "summary" not in annotations or "description" not in annotations:
                problem(f"alerts.yml {rule.get('alert')}: needs a summary and a description")
            for series in re.findall(r"\bosan_[a-z_]+", rule.get("expr", "")):
                base = re.sub(r"_(bucket|sum|count)$", "", series)
                if f'"{series}"' not in sources and f'"{base}"' not in sources:
                    problem(f"alerts.yml {rule.get('alert')}: no code serves {series}")
    print(f"prometheus: scrape targets {', '.join(sorted(targets))}; {count} alert rules name "
          f"series the code serves")


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def check_kubernetes(stages, osanctl):
    documents = []
    for path in sorted(glob.glob(os.path.join(DEPLOY, "k8s", "*.yaml"))):
        for document in yaml.safe_load_all(open(path)):
            if document:
                documents.append((os.path.basename(path), document))
    with tempfile.TemporaryDirectory() as secrets_dir:
        subprocess.run([os.path.join(ROOT, "tools", "secrets.sh"), secrets_dir, osanctl],
                       check=True, capture_output=True)
        made = subprocess.run([os.path.join(DEPLOY, "k8s", "secrets.sh"), secrets_dir,
                               "postgresql://osan:check@pg-0,pg-1,pg-2"],
                              check=True, capture_output=True, text=True).stdout
    secrets = {s["metadata"]["name"]: set(s["data"]) for s in yaml.safe_load_all(made) if s}
    by_kind = {}
    for file, document in documents:
        for field in ("apiVersion", "kind", "metadata"):
            if field not in document:
                problem(f"{file}: a document lacks {field}")
        by_kind.setdefault(document.get("kind"), []).append((file, document))

    deployments = {}
    for file, d in by_kind.get("Deployment", []):
        name = d["metadata"]["name"]
        where = f"{file} Deployment {name}"
        spec = d["spec"]
        template = spec["template"]
        deployments[name] = d
        if not matches(spec["selector"]["matchLabels"], template["metadata"]["labels"]):
            problem(f"{where}: the selector does not match the template's labels")
        pod = template["spec"]
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            problem(f"{where}: pods must run as non-root")
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for volume in volumes.values():
            secret = volume.get("secret", {}).get("secretName")
            if secret is not None and secret not in secrets:
                problem(f"{where}: mounts Secret {secret}, which deploy/k8s/secrets.sh does "
                        f"not make")
        for container in pod["containers"]:
            image = container.get("image", "")
            target = image.split("/")[-1].split(":")[0]
            if target not in stages:
                problem(f"{where}: image {image} is no deploy/Dockerfile target")
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in container:
                    problem(f"{where}: {container['name']} has no {probe}")
            resources = container.get("resources", {})
            if "requests" not in resources or "memory" not in resources.get("limits", {}):
                problem(f"{where}: {container['name']} needs resource requests and a memory "
                        f"limit")
            mounts = {}
            for mount in container.get("volumeMounts", []):
                if mount["name"] not in volumes:
                    problem(f"{where}: mounts undeclared volume {mount['name']}")
                else:
                    mounts[mount["mountPath"]] = volumes[mount["name"]]
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref and ref["key"] not in secrets.get(ref["name"], set()):
                    problem(f"{where}: {env['name']} reads {ref['name']}/{ref['key']}, which "
                            f"deploy/k8s/secrets.sh does not make")
                # Files the configuration names must be in the Secret mounted there.
                for value in re.split(r"[,=]", env.get("value", "")):
                    directory, key = os.path.split(value)
                    secret = mounts.get(directory, {}).get("secret", {}).get("secretName")
                    if secret and key not in secrets.get(secret, set()):
                        problem(f"{where}: {env['name']} names {value}, but Secret {secret} "
                                f"has no key {key}")

    def selected(selector, file, what):
        found = [n for n, d in deployments.items()
                 if matches(selector, d["spec"]["template"]["metadata"]["labels"])]
        if len(found) != 1:
            problem(f"{file} {what}: selects {len(found)} Deployments, not one")
            return None
        return deployments[found[0]]

    def container_ports(deployment):
        return {(p.get("name"), p["containerPort"])
                for c in deployment["spec"]["template"]["spec"]["containers"]
                for p in c.get("ports", [])}

    covered = {"Service": set(), "PodDisruptionBudget": set(), "NetworkPolicy": set()}
    for file, s in by_kind.get("Service", []):
        target = selected(s["spec"]["selector"], file, f"Service {s['metadata']['name']}")
        if target is None:
            continue
        covered["Service"].add(target["metadata"]["name"])
        ports = container_ports(target)
        for port in s["spec"]["ports"]:
            wanted = port.get("targetPort", port["port"])
            if not any(wanted in pair for pair in ports):
                problem(f"{file} Service {s['metadata']['name']}: targetPort {wanted} is no "
                        f"container port")
    for file, b in by_kind.get("PodDisruptionBudget", []):
        target = selected(b["spec"]["selector"]["matchLabels"], file,
                          f"PodDisruptionBudget {b['metadata']['name']}")
        if target is None:
            continue
        covered["PodDisruptionBudget"].add(target["metadata"]["name"])
        if b["spec"].get("minAvailable", 0) >= target["spec"].get("replicas", 1):
            problem(f"{file} PodDisruptionBudget {b['metadata']['name']}: minAvailable leaves "
                    f"no replica to disrupt")
    for file, p in by_kind.get("NetworkPolicy", []):
        name = p["metadata"]["name"]
        target = selected(p["spec"]["podSelector"]["matchLabels"], file, f"NetworkPolicy {name}")
        if target is None:
            continue
        covered["NetworkPolicy"].add(target["metadata"]["name"])
        if set(p["spec"].get("policyTypes", [])) != {"Ingress", "Egress"}:
            problem(f"{file} NetworkPolicy {name}: must govern Ingress and Egress")
        numbers = {n for _, n in container_ports(target)}
        for rule in p["spec"].get("ingress", []):
            for port in rule.get("ports", []):
                if port["port"] not in numbers:
                    problem(f"{file} NetworkPolicy {name}: admits port {port['port']}, which "
                            f"{target['metadata']['name']} does not serve")
        for rule in p["spec"].get("egress", []):
            for peer in rule.get("to", []):
                labels = peer.get("podSelector", {}).get("matchLabels", {})
                if labels.get("app") != "osan":
                    continue
                callee = selected(labels, file, f"NetworkPolicy {name} egress")
                if callee is None:
                    continue
                callee_ports = {n for _, n in container_ports(callee)}
                for port in rule.get("ports", []):
                    if port["port"] not in callee_ports:
                        problem(f"{file} NetworkPolicy {name}: egress to port {port['port']}, "
                                f"which {callee['metadata']['name']} does not serve")
    for kind, names in covered.items():
        for missing in sorted(set(deployments) - names):
            problem(f"k8s: Deployment {missing} has no {kind}")
    print(f"kubernetes: {len(documents)} objects ({', '.join(sorted(by_kind))}); Deployments "
          f"{', '.join(sorted(deployments))} each with a Service, a PodDisruptionBudget and a "
          f"NetworkPolicy; {len(secrets)} Secrets from deploy/k8s/secrets.sh cover every mount")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    build_dir = os.path.abspath(sys.argv[1])
    stages = dockerfile_stages()
    check_images(stages, build_dir)
    services = check_compose(stages)
    check_prometheus(stages, services)
    check_kubernetes(stages, os.path.join(build_dir, "tools", "osanctl"))
    for text in problems:
        print(f"deploy: {text}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
