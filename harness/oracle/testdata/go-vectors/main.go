// Generates golden vectors for impfuzz's oracle from the real Go and Kubernetes code (see README).
package main

import (
	"encoding/json"
	"fmt"
	"net/textproto"
	"net/url"
	"os"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apiserver/pkg/authentication/serviceaccount"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/apiserver/pkg/endpoints/handlers/responsewriters"
)

type Bytes []byte // JSON: array of numbers

func (b Bytes) MarshalJSON() ([]byte, error) {
	out := make([]int, len(b))
	for i, c := range b {
		out[i] = int(c)
	}
	return json.Marshal(out)
}
func (b *Bytes) UnmarshalJSON(data []byte) error {
	var in []int
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*b = make([]byte, len(in))
	for i, c := range in {
		(*b)[i] = byte(c)
	}
	return nil
}

type Input struct {
	Quote      []Bytes `json:"quote"`
	Canonical  []Bytes `json:"canonical"`
	Unescape   []Bytes `json:"unescape"`
	DomainPath []Bytes `json:"domainPath"`
	SplitSA    []Bytes `json:"splitSA"`
	NodeName   []Bytes `json:"nodeName"`
	SharpV     []struct {
		Name   Bytes            `json:"name"`
		UID    Bytes            `json:"uid"`
		Groups []Bytes          `json:"groups"` // null = nil
		Extra  map[string][]Bytes `json:"extra"` // keys hex-encoded; null = nil
	} `json:"sharpV"`
	Forbidden []struct {
		User, Verb, Namespace, Group, Version, Resource, Subresource, Name, Path Bytes
		ResourceRequest                                                       bool
		Reason                                                                Bytes
	} `json:"forbidden"`
	ObjRefs [][]struct {
		Kind, Namespace, Name, APIVersion, FieldPath Bytes
	} `json:"objRefs"`
}

type Output struct {
	Quote      []Bytes `json:"quote"`
	Canonical  []Bytes `json:"canonical"`
	Unescape   []*Bytes `json:"unescape"` // null = error
	DomainPath []Bytes `json:"domainPath"`
	SplitSA    [][]Bytes `json:"splitSA"` // null = invalid
	NodeName   []bool  `json:"nodeName"`
	SharpV     []Bytes `json:"sharpV"`
	Forbidden  []map[string]Bytes `json:"forbidden"`
	ObjRefs    []Bytes `json:"objRefs"`
}

func main() {
	var in Input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	var out Output
	for _, s := range in.Quote {
		out.Quote = append(out.Quote, Bytes(strconv.Quote(string(s))))
	}
	for _, s := range in.Canonical {
		out.Canonical = append(out.Canonical, Bytes(textproto.CanonicalMIMEHeaderKey(string(s))))
	}
	for _, s := range in.Unescape {
		r, err := url.PathUnescape(strings.ToLower(string(s)))
		if err != nil {
			out.Unescape = append(out.Unescape, nil)
		} else {
			b := Bytes(r)
			out.Unescape = append(out.Unescape, &b)
		}
	}
	for _, s := range in.DomainPath {
		agg := utilvalidation.IsDomainPrefixedPath(field.NewPath("extra", "key"), string(s)).ToAggregate()
		msg := ""
		if agg != nil {
			msg = agg.Error()
		}
		out.DomainPath = append(out.DomainPath, Bytes(msg))
	}
	for _, s := range in.SplitSA {
		ns, n, err := serviceaccount.SplitUsername(string(s))
		if err != nil {
			out.SplitSA = append(out.SplitSA, nil)
		} else {
			out.SplitSA = append(out.SplitSA, []Bytes{Bytes(ns), Bytes(n)})
		}
	}
	for _, s := range in.NodeName {
		out.NodeName = append(out.NodeName, len(apivalidation.NameIsDNSSubdomain(string(s), false)) == 0)
	}
	for _, c := range in.SharpV {
		u := &user.DefaultInfo{Name: string(c.Name), UID: string(c.UID)}
		if c.Groups != nil {
			u.Groups = []string{}
			for _, g := range c.Groups {
				u.Groups = append(u.Groups, string(g))
			}
		}
		if c.Extra != nil {
			u.Extra = map[string][]string{}
			for hk, vs := range c.Extra {
				var k []byte
				fmt.Sscanf(hk, "%x", &k)
				for _, v := range vs {
					u.Extra[string(k)] = append(u.Extra[string(k)], string(v))
				}
			}
		}
		out.SharpV = append(out.SharpV, Bytes(fmt.Sprintf("%#v", u)))
	}
	for _, f := range in.Forbidden {
		a := authorizer.AttributesRecord{
			User: &user.DefaultInfo{Name: string(f.User)}, Verb: string(f.Verb), Namespace: string(f.Namespace),
			APIGroup: string(f.Group), APIVersion: string(f.Version), Resource: string(f.Resource),
			Subresource: string(f.Subresource), Name: string(f.Name), Path: string(f.Path), ResourceRequest: f.ResourceRequest,
		}
		st := responsewriters.ForbiddenStatusError(a, string(f.Reason)).ErrStatus
		m := map[string]Bytes{"message": Bytes(st.Message)}
		if st.Details != nil {
			m["name"], m["group"], m["kind"] = Bytes(st.Details.Name), Bytes(st.Details.Group), Bytes(st.Details.Kind)
		}
		out.Forbidden = append(out.Forbidden, m)
	}
	for _, refs := range in.ObjRefs {
		var list []corev1.ObjectReference
		for _, r := range refs {
			list = append(list, corev1.ObjectReference{Kind: string(r.Kind), Namespace: string(r.Namespace), Name: string(r.Name), APIVersion: string(r.APIVersion), FieldPath: string(r.FieldPath)})
		}
		out.ObjRefs = append(out.ObjRefs, Bytes(fmt.Sprintf("requested %v without impersonating a user", list)))
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
