// Command oracle runs Istio's own per-object validation over Kubernetes manifests, the way
// istiod's validating webhook does, so that our TypeScript rules can be measured against it
// (see scripts/oracle/compare.ts and docs/parity.md).
//
// Input: JSON lines on stdin, one manifest each. Output: one JSON line per input line:
//
//	{"stage":"validate","errors":["..."],"warnings":["..."]}
//
// stage says how far the webhook got: "skipped" (not a kind the webhook validates), "decode"
// (the object did not decode), "convert" (the spec did not convert to Istio's type), "validate"
// (the kind's validation ran), "fields" (an unknown top-level field), or "panic".
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashicorp/go-multierror"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config/schema/collections"
	"istio.io/istio/pkg/config/schema/resource"
	"istio.io/istio/pkg/log"
)

// The webhook's domain suffix when istiod runs with its defaults.
const domainSuffix = "cluster.local"

// The namespace kubectl uses for an object without one; the API server sets it before admission.
const defaultNamespace = "default"

// The top-level fields the webhook lets through (its checkFields).
var topLevelFields = map[string]bool{"apiVersion": true, "kind": true, "metadata": true, "spec": true, "status": true}

type result struct {
	Stage    string   `json:"stage"`
	Kind     string   `json:"kind,omitempty"`
	Errors   []string `json:"errors"`
	Warnings []string `json:"warnings"`
}

func main() {
	// Istio logs to stdout by default; stdout carries the results.
	logOptions := log.DefaultOptions()
	logOptions.OutputPaths = []string{"stderr"}
	logOptions.ErrorOutputPaths = []string{"stderr"}
	if err := log.Configure(logOptions); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			if encErr := enc.Encode(validateLine(line)); encErr != nil {
				fmt.Fprintln(os.Stderr, encErr)
				os.Exit(1)
			}
		}
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func validateLine(raw []byte) (res result) {
	res = result{Errors: []string{}, Warnings: []string{}}
	defer func() {
		if p := recover(); p != nil {
			res.Stage = "panic"
			res.Errors = append(res.Errors, fmt.Sprint(p))
		}
	}()

	// The same steps as the webhook's validate handler (pkg/webhooks/validation/server).
	var obj crd.IstioKind
	if err := json.Unmarshal(raw, &obj); err != nil {
		res.Stage = "decode"
		res.Errors = append(res.Errors, fmt.Sprintf("cannot decode configuration: %v", err))
		return res
	}
	gvk := obj.GroupVersionKind()
	res.Kind = gvk.Kind
	schema, ok := collections.PilotGatewayAPI().FindByGroupKind(resource.FromKubernetesGVK(&gvk))
	if !ok || !strings.HasSuffix(gvk.Group, "istio.io") {
		// Only Istio's own kinds are compared; Gateway API kinds and Kubernetes kinds are skipped.
		res.Stage = "skipped"
		return res
	}
	if obj.Namespace == "" {
		obj.Namespace = defaultNamespace
	}
	cfg, err := crd.ConvertObject(schema, &obj, domainSuffix)
	if err != nil {
		res.Stage = "convert"
		res.Errors = append(res.Errors, fmt.Sprintf("error decoding configuration: %v", err))
		return res
	}
	res.Stage = "validate"
	warnings, err := schema.ValidateConfig(*cfg)
	res.Warnings = split(warnings)
	if err != nil {
		res.Errors = split(err)
		return res
	}

	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err == nil {
		for key := range fields {
			if !topLevelFields[key] {
				res.Stage = "fields"
				res.Errors = append(res.Errors, fmt.Sprintf("unknown field %q on %s resource %s/%s", key, gvk.Kind, obj.Namespace, obj.Name))
			}
		}
	}
	return res
}

// split turns a (multi)error into its messages.
func split(err error) []string {
	out := []string{}
	if err == nil {
		return out
	}
	var me *multierror.Error
	if errors.As(err, &me) {
		for _, e := range me.Errors {
			out = append(out, split(e)...)
		}
		return out
	}
	return append(out, err.Error())
}
