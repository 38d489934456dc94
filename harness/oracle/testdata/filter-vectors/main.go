// Runs impfuzz's filter-vector inputs through the real impersonation filters of k8s.io/apiserver
// (WithConstrainedImpersonation for gate ON, WithImpersonation for gate OFF) with a recording fake
// authorizer, as upstream's own tests do, and prints what each request produced (see gen-filter-vectors.ts).
package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/apiserver/pkg/endpoints/filters/impersonation"
	"k8s.io/apiserver/pkg/endpoints/request"
)

type Grant struct {
	User     *string `json:"user"`
	Verb     string  `json:"verb"`
	Resource *string `json:"resource"`
	Name     *string `json:"name"`
}

type User struct {
	Username string              `json:"username"`
	UID      string              `json:"uid"`
	Groups   []string            `json:"groups"`
	Extra    map[string][]string `json:"extra"`
}

type Info struct {
	IsResourceRequest bool   `json:"isResourceRequest"`
	Verb              string `json:"verb"`
	APIGroup          string `json:"apiGroup"`
	APIVersion        string `json:"apiVersion"`
	Resource          string `json:"resource"`
	Subresource       string `json:"subresource"`
	Name              string `json:"name"`
	Namespace         string `json:"namespace"`
	Path              string `json:"path"`
}

type Step struct {
	Requestor User        `json:"requestor"`
	Headers   [][2]string `json:"headers"`
	Request   Info        `json:"request"`
}

type Case struct {
	Gate   bool    `json:"gate"`
	Grants []Grant `json:"grants"`
	Reason string  `json:"reason"`
	Steps  []Step  `json:"steps"`
}

type Check struct {
	User            User   `json:"user"`
	Verb            string `json:"verb"`
	ResourceRequest bool   `json:"resourceRequest"`
	Namespace       string `json:"namespace"`
	Group           string `json:"group"`
	Version         string `json:"version"`
	Resource        string `json:"resource"`
	Subresource     string `json:"subresource"`
	Name            string `json:"name"`
	Path            string `json:"path"`
	Decision        string `json:"decision"`
}

type Result struct {
	Code    int     `json:"code"`
	Message string  `json:"message,omitempty"`
	User    *User   `json:"user,omitempty"`
	Checks  []Check `json:"checks"`
}

func toUser(u user.Info) User {
	out := User{Username: u.GetName(), UID: u.GetUID(), Groups: u.GetGroups(), Extra: u.GetExtra()}
	if out.Groups == nil {
		out.Groups = []string{}
	}
	if out.Extra == nil {
		out.Extra = map[string][]string{}
	}
	return out
}

func main() {
	var cases []Case
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	s := runtime.NewScheme()
	metav1.AddToGroupVersion(s, metav1.SchemeGroupVersion)
	codecs := serializer.NewCodecFactory(s)
	var results [][]Result
	for _, c := range cases {
		var checks []Check
		authz := authorizer.AuthorizerFunc(func(ctx context.Context, a authorizer.Attributes) (authorizer.Decision, string, error) {
			u := a.GetUser()
			d := authorizer.DecisionNoOpinion
			for _, g := range c.Grants {
				if (g.User == nil || *g.User == u.GetName()) && g.Verb == a.GetVerb() &&
					(g.Resource == nil || *g.Resource == a.GetResource()) && (g.Name == nil || *g.Name == a.GetName()) {
					d = authorizer.DecisionAllow
					break
				}
			}
			dec := "no-opinion"
			if d == authorizer.DecisionAllow {
				dec = "allow"
			}
			checks = append(checks, Check{User: toUser(u), Verb: a.GetVerb(), ResourceRequest: a.IsResourceRequest(), Namespace: a.GetNamespace(),
				Group: a.GetAPIGroup(), Version: a.GetAPIVersion(), Resource: a.GetResource(), Subresource: a.GetSubresource(), Name: a.GetName(),
				Path: a.GetPath(), Decision: dec})
			if d == authorizer.DecisionAllow {
				return d, "", nil
			}
			return d, c.Reason, nil
		})
		var got *User
		echo := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			u, _ := request.UserFrom(req.Context())
			x := toUser(u)
			got = &x
		})
		var h http.Handler
		if c.Gate {
			h = impersonation.WithConstrainedImpersonation(echo, authz, codecs)
		} else {
			h = impersonation.WithImpersonation(echo, authz, codecs)
		}
		var out []Result
		for _, st := range c.Steps {
			checks, got = nil, nil
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, kv := range st.Headers {
				req.Header.Add(kv[0], kv[1])
			}
			info := &request.RequestInfo{IsResourceRequest: st.Request.IsResourceRequest, Verb: st.Request.Verb, APIGroup: st.Request.APIGroup,
				APIVersion: st.Request.APIVersion, Resource: st.Request.Resource, Subresource: st.Request.Subresource, Name: st.Request.Name,
				Namespace: st.Request.Namespace, Path: st.Request.Path}
			ru := &user.DefaultInfo{Name: st.Requestor.Username, UID: st.Requestor.UID, Groups: st.Requestor.Groups, Extra: st.Requestor.Extra}
			ctx := request.WithRequestInfo(request.WithUser(req.Context(), ru), info)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req.WithContext(ctx))
			res := Result{Code: rec.Code, User: got, Checks: checks}
			if res.Checks == nil {
				res.Checks = []Check{}
			}
			if rec.Code != http.StatusOK {
				body, _ := io.ReadAll(rec.Body)
				var status metav1.Status
				if err := json.Unmarshal(body, &status); err == nil {
					res.Message = status.Message
				} else {
					res.Message = string(body)
				}
			}
			out = append(out, res)
		}
		results = append(results, out)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		panic(err)
	}
}
